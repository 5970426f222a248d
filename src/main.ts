// The action: read config and event, pick the mode, run the pipeline, publish,
// map errors to setFailed.
import * as core from '@actions/core'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { analysisOptions, readActionConfig, type ActionConfig } from './config.js'
import { describeError, ReviewError } from './errors.js'
import { createFetchSession, type FetchSession } from './fetch/session.js'
import { withCacheDir } from './fetch/tempdir.js'
import { resolveVersionPair } from './fetch/versions.js'
import { createGitHubClient, statusOf, type GitHubClient } from './github/client.js'
import { findStickyComment, upsertStickyComment } from './github/comment.js'
import { getFileAt, pullRequestSource, type PullRequestRef } from './github/files.js'
import { applyPolicy, readPolicy } from './policy.js'
import { readOptionalFile } from './util/files.js'
import { escapeForLog } from './render/escape.js'
import { renderJson } from './render/json.js'
import { renderMarkdown } from './render/markdown.js'
import { reviewCompare, reviewPullRequest } from './review.js'
import { PullRequestEventSchema, type Report } from './schemas.js'
import { verdictOf } from './verdict.js'

/** The job summary takes up to 1 MiB, far more than a comment. */
const SUMMARY_MAX_LENGTH = 900_000
const PR_EVENTS = new Set(['pull_request', 'pull_request_target'])

export async function run(): Promise<void> {
  try {
    for (const name of ['github-token', 'registry-token']) {
      const secret = core.getInput(name)
      if (secret) core.setSecret(secret)
    }
    const config = readActionConfig((name) => core.getInput(name))
    const event = process.env.GITHUB_EVENT_NAME ?? ''
    if (PR_EVENTS.has(event) && !config.packageName) await runPullRequest(config)
    else await runDispatch(config, event)
  } catch (err) {
    core.setFailed(escapeForLog(describeError(err)))
  }
}

/** workflow_dispatch (or any event with a `package` input): one package between two versions. */
async function runDispatch(config: ActionConfig, event: string): Promise<void> {
  const name = config.packageName
  if (!name) {
    throw new ReviewError(
      'EUSAGE',
      `Input "package" is required on ${event || 'this event'}; on pull_request and pull_request_target events the changed lockfiles and MCP configs are reviewed instead.`,
    )
  }
  // Read first: a policy that cannot be read or parsed fails before a long review.
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const policy = await readPolicy(config.policyPath, (path) =>
    readOptionalFile(join(workspace, path), 'the policy file'),
  )
  const report = await withCacheDir(config.cacheDir, async (cache) => {
    const session = await openSession(config, cache)
    const pair = await resolveVersionPair(name, config.to, config.from, session.options)
    core.info(escapeForLog(`Reviewing ${name} ${pair.from ?? '(first release)'} -> ${pair.to}`))
    return reviewCompare(
      { from: pair.from === null ? null : `${name}@${pair.from}`, to: `${name}@${pair.to}` },
      session.fetchPackage,
      { analysis: analysisOptions(config) },
    )
  })
  await publishResults(applyPolicy(report, policy), config)
}

async function runPullRequest(config: ActionConfig): Promise<void> {
  const pr = await readPullRequest()
  const client = createGitHubClient(config.githubToken ?? '')
  // From the base commit: a pull request must not be able to allow its own
  // findings. Read first, so that a broken policy fails before a long review.
  const policy = await readPolicy(config.policyPath, (path) =>
    getFileAt(client, pr, path, pr.baseSha),
  )
  const report = await withCacheDir(config.cacheDir, async (cache) => {
    const session = await openSession(config, cache)
    return reviewPullRequest(pullRequestSource(client, pr), config, session, {
      analysis: analysisOptions(config),
    })
  })
  const reviewed = applyPolicy(report, policy)
  await publishComment(client, pr, reviewed, config)
  await publishResults(reviewed, config)
}

async function readPullRequest(): Promise<PullRequestRef & { fork: boolean }> {
  const path = process.env.GITHUB_EVENT_PATH
  if (!path)
    throw new ReviewError(
      'EUSAGE',
      'GITHUB_EVENT_PATH is not set: is this running in GitHub Actions?',
    )
  const parsed = PullRequestEventSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ReviewError(
      'EUSAGE',
      `The event payload has no valid ${issue.path.join('.')}: is this a pull_request event?`,
    )
  }
  const { pull_request: pr, repository } = parsed.data
  return {
    owner: repository.owner.login,
    repo: repository.name,
    number: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    fork: pr.head.repo?.full_name !== pr.base.repo.full_name,
  }
}

/**
 * Registry settings as npm has them (the workspace's and the user's .npmrc,
 * NODE_AUTH_TOKEN through them), then the inputs; every credential masked.
 */
async function openSession(config: ActionConfig, cache: string): Promise<FetchSession> {
  const session = await createFetchSession(
    {
      projectDir: process.env.GITHUB_WORKSPACE || process.cwd(),
      env: process.env,
      minReleaseAgeHours: config.minReleaseAgeHours,
      ...(config.registry ? { registry: config.registry } : {}),
      ...(config.registryToken ? { registryToken: config.registryToken } : {}),
    },
    cache,
  )
  for (const secret of session.secrets) core.setSecret(secret)
  for (const warning of session.warnings) core.warning(escapeForLog(warning))
  return session
}

/**
 * The sticky comment: created when there is something to say, updated on
 * every push, and told "nothing to review" when a push removes the findings.
 * A token that cannot write (fork PRs on `pull_request`) costs the comment, not the run.
 */
async function publishComment(
  client: GitHubClient,
  pr: PullRequestRef & { fork: boolean },
  report: Report,
  config: ActionConfig,
): Promise<void> {
  if (config.comment === 'never') return
  try {
    const existing = await findStickyComment(client, pr, pr.number)
    const quiet = report.packages.every((p) => p.findings.length === 0 && p.status === 'reviewed')
    // Nothing to review is no reason to start a conversation; an earlier comment is corrected.
    if (!existing && (report.packages.length === 0 || (config.comment === 'on-findings' && quiet)))
      return
    const outcome = await upsertStickyComment(
      client,
      pr,
      pr.number,
      existing,
      renderMarkdown(report),
    )
    core.info(`Review comment ${outcome} on pull request #${pr.number}.`)
  } catch (err) {
    const status = statusOf((err as { cause?: unknown }).cause)
    if (status !== 403 && status !== 404) throw err
    core.warning(
      `No review comment was posted: the token cannot write to pull request #${pr.number}` +
        (pr.fork ? ' (a fork PR on pull_request gets a read-only token)' : '') +
        '. The review is in the job summary and the check status. To comment on fork PRs, run on pull_request_target with `permissions: pull-requests: write` and without checking out PR code (see README).',
    )
  }
}

async function publishResults(report: Report, config: ActionConfig): Promise<void> {
  const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), 'mcp-diff-review-report.json')
  await writeFile(reportPath, renderJson(report))
  core.setOutput('risk', report.risk)
  core.setOutput('report', reportPath)
  core.setOutput('packages-reviewed', String(report.packages.length))
  core.setOutput('findings', String(report.packages.reduce((n, p) => n + p.findings.length, 0)))
  await core.summary.addRaw(renderMarkdown(report, { maxLength: SUMMARY_MAX_LENGTH })).write()
  annotate(report)
  const verdict = verdictOf(report, config)
  if (verdict.fail) core.setFailed(verdict.summary)
  else core.info(verdict.summary)
}

/**
 * One annotation per risky or unverified package, at its lockfile or config
 * entry so it shows in the PR's Files view; per finding when there is no such entry.
 */
function annotate(report: Report): void {
  for (const pkg of report.packages) {
    // @actions/core escapes `:`, `,` and line ends in a property, not control characters:
    // a path with any (no file GitHub could show anyway) is left out of the command.
    const at =
      pkg.source && escapeForLog(pkg.source.file) === pkg.source.file
        ? { file: pkg.source.file, ...(pkg.source.line ? { startLine: pkg.source.line } : {}) }
        : {}
    const change = `${pkg.name} ${pkg.from ?? '(new)'} -> ${pkg.to}`
    if (pkg.status === 'unverified') {
      core.error(
        escapeForLog(
          `${change} could not be verified: ${pkg.error?.code ?? 'unknown'}: ${pkg.error?.message ?? 'no reason recorded'}`,
        ),
        {
          title: 'mcp-diff-review: unverified package',
          ...at,
        },
      )
      continue
    }
    if (pkg.risk === 'none' || pkg.risk === 'low') continue
    const top = pkg.findings
      .slice(0, 3)
      .map((f) => `${f.severity}: ${f.message} (${f.file}${f.line ? `:${f.line}` : ''})`)
    const message = escapeForLog(`${change} is ${pkg.risk} risk. ${top.join(' | ')}`)
    const props = { title: `mcp-diff-review: ${pkg.risk} risk`, ...at }
    if (pkg.risk === 'critical' || pkg.risk === 'high') core.error(message, props)
    else core.warning(message, props)
  }
}
