// The bundled action (dist/index.js) run as the runner runs it: Node 24, inputs
// as INPUT_*, GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY; the GitHub
// API is a local server that checks every request and response against
// GitHub's OpenAPI description; packages come from a real registry (Verdaccio).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReportSchema } from '../../src/schemas.js'
import { BOT_LOGIN, startGitHubServer, type GitHubServer } from '../helpers/github-server.js'
import { lineOfEntry, npmLockfileV3 } from '../helpers/lockfile.js'
import { packDir, packFiles } from '../helpers/pack.js'
import { startRegistry, type Published, type TestRegistry } from '../helpers/verdaccio.js'

const NODE = join(process.cwd(), 'node_modules/.bin/node')
const ACTION = join(process.cwd(), 'dist/index.js')
const POSTBOX = join(process.cwd(), '__tests__/fixtures/packages/postbox-mcp')
const REPO = 'octo/agent-app'
const MARKER = '<!-- mcp-diff-review -->'

let registry: TestRegistry
let gh: GitHubServer
let work: string
const published: Record<string, Published> = {}
let prNumber = 0

beforeAll(async () => {
  registry = await startRegistry()
  for (const v of ['1.0.0', '1.0.1', '1.1.0']) {
    const manifest = JSON.parse(readFileSync(join(POSTBOX, v, 'package.json'), 'utf8'))
    published[`postbox-mcp@${v}`] = await registry.publish(
      manifest,
      await packDir(join(POSTBOX, v)),
    )
  }
  for (const v of ['4.17.20', '4.17.21']) {
    const m = { name: 'plain-lib', version: v }
    published[`plain-lib@${v}`] = await registry.publish(
      m,
      packFiles({ 'package.json': JSON.stringify(m) }),
    )
  }
  gh = await startGitHubServer()
  work = mkdtempSync(join(tmpdir(), 'mdr-action-'))
}, 60_000)

afterAll(async () => {
  await registry?.stop()
  await gh?.stop()
  if (work) rmSync(work, { recursive: true, force: true })
})

afterEach(() => gh.assertNoViolations())

const lock = (postbox: string, plain = '4.17.20'): string =>
  npmLockfileV3([
    { name: 'postbox-mcp', version: postbox, published: published[`postbox-mcp@${postbox}`]! },
    { name: 'plain-lib', version: plain, published: published[`plain-lib@${plain}`]! },
  ])

/** A PR whose head changes package-lock.json; returns its event payload. */
function seedPullRequest(
  baseLock: string,
  headLock: string,
  opts: {
    fork?: boolean
    baseFiles?: Record<string, string>
    headFiles?: Record<string, string>
  } = {},
): object {
  const number = ++prNumber
  const baseSha = String(number).padStart(2, '0').repeat(20)
  const headSha = String(number + 50)
    .padStart(2, '0')
    .repeat(20)
  gh.addPullRequest(REPO, {
    number,
    fork: opts.fork ?? false,
    base: { sha: baseSha, files: { 'package-lock.json': baseLock, ...opts.baseFiles } },
    head: { sha: headSha, files: { 'package-lock.json': headLock, ...opts.headFiles } },
  })
  const headRepo = opts.fork ? 'mallory/agent-app' : REPO
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      base: { sha: baseSha, ref: 'main', repo: { full_name: REPO } },
      head: { sha: headSha, ref: `bump-${number}`, repo: { full_name: headRepo } },
    },
    repository: { name: 'agent-app', owner: { login: 'octo' }, full_name: REPO },
  }
}

interface ActionRun {
  code: number | null
  stdout: string
  outputs: Record<string, string>
  summary: string
}

/** Async: the GitHub server runs in this process and must keep answering. */
async function runAction(
  event: string,
  payload: object,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(work, 'run-'))
  const paths = {
    event: join(dir, 'event.json'),
    output: join(dir, 'output'),
    summary: join(dir, 'summary'),
  }
  writeFileSync(paths.event, JSON.stringify(payload))
  writeFileSync(paths.output, '')
  writeFileSync(paths.summary, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: gh.url,
    GITHUB_REPOSITORY: REPO,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: paths.event,
    GITHUB_OUTPUT: paths.output,
    GITHUB_STEP_SUMMARY: paths.summary,
    RUNNER_TEMP: dir,
    'INPUT_GITHUB-TOKEN': gh.token!,
    'INPUT_REGISTRY-URL': registry.url,
    'INPUT_FAIL-ON': 'high',
    'INPUT_FAIL-ON-UNVERIFIED': 'true',
    INPUT_COMMENT: 'always',
    INPUT_SCOPE: 'mcp',
    INPUT_TO: 'latest',
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  const child = spawn(NODE, [ACTION], { env, timeout: 60_000 })
  let stdout = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return {
    code,
    stdout,
    outputs: parseOutputs(readFileSync(paths.output, 'utf8')),
    summary: readFileSync(paths.summary, 'utf8'),
  }
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!
  return out
}

test('a malicious bump: comment created with the finding, outputs set, annotation at the lockfile line, job failed', async () => {
  const head = lock('1.0.1')
  const payload = seedPullRequest(lock('1.0.0'), head)
  const run = await runAction('pull_request', payload)
  expect(run.code).toBe(1)
  expect(run.outputs).toMatchObject({ risk: 'critical', 'packages-reviewed': '1' })
  const report = ReportSchema.parse(JSON.parse(readFileSync(run.outputs.report!, 'utf8')))
  expect(report.packages[0]).toMatchObject({
    name: 'postbox-mcp',
    from: '1.0.0',
    to: '1.0.1',
    risk: 'critical',
  })
  const comments = gh.comments(REPO, prNumber)
  expect(comments).toHaveLength(1)
  expect(comments[0]!.user).toBe(BOT_LOGIN)
  expect(comments[0]!.body.startsWith(MARKER)).toBe(true)
  expect(comments[0]!.body).toContain('threat-email-hardcoded-recipient')
  expect(run.summary).toContain('threat-email-hardcoded-recipient')
  expect(run.stdout).toMatch(
    new RegExp(
      `::error title=mcp-diff-review%3A critical risk,file=package-lock.json,line=${lineOfEntry(head, 'postbox-mcp')}::`,
    ),
  )
  expect(run.stdout).toMatch(/::error::FAIL: risk critical/)
})

test('a second run on a new push updates the same comment, and says so when the findings are gone', async () => {
  const payload = seedPullRequest(lock('1.0.0'), lock('1.0.1'))
  await runAction('pull_request', payload)
  const first = gh.comments(REPO, prNumber)
  expect(first).toHaveLength(1)
  // The author pushes a fix: the head now pins the benign release.
  gh.setFiles(
    REPO,
    (payload as { pull_request: { head: { sha: string } } }).pull_request.head.sha,
    {
      'package-lock.json': lock('1.1.0'),
    },
  )
  const second = await runAction('pull_request', payload)
  expect(second.code).toBe(0)
  const after = gh.comments(REPO, prNumber)
  expect(after).toHaveLength(1)
  expect(after[0]!.id).toBe(first[0]!.id)
  expect(after[0]!.body).not.toContain('threat-email-hardcoded-recipient')
  expect(after[0]!.body).toContain('1.1.0')
  expect(gh.requests.filter((r) => r.operationId === 'issues/update-comment')).not.toHaveLength(0)
})

test("the PR author's comment with our marker is never taken for ours", async () => {
  const payload = seedPullRequest(lock('1.0.0'), lock('1.0.1'))
  const forged = gh.addComment(REPO, prNumber, `${MARKER}\nforged`, { user: 'mallory' })
  await runAction('pull_request', payload)
  const comments = gh.comments(REPO, prNumber)
  expect(comments.map((c) => [c.user, c.body === forged.body])).toEqual([
    ['mallory', true],
    [BOT_LOGIN, false],
  ])
})

test("with a user's token (a PAT), the comment written as that user is updated in place", async () => {
  gh.actor = 'octocat'
  const asked = gh.requests.length
  try {
    const payload = seedPullRequest(lock('1.0.0'), lock('1.0.1'))
    // Someone else's marked comments: the PR author's, and a bot's from an earlier setup.
    gh.addComment(REPO, prNumber, `${MARKER}\nforged`, { user: 'mallory' })
    gh.addComment(REPO, prNumber, `${MARKER}\nan earlier bot`, { user: BOT_LOGIN })
    await runAction('pull_request', payload)
    const first = gh.comments(REPO, prNumber).filter((c) => c.user === 'octocat')
    expect(first).toHaveLength(1)
    await runAction('pull_request', payload)
    const all = gh.comments(REPO, prNumber)
    expect(all.map((c) => c.user)).toEqual(['mallory', BOT_LOGIN, 'octocat'])
    expect(all[2]!.id).toBe(first[0]!.id)
    // Asked once a run, since marked comments were there each time.
    const whoAmI = gh.requests
      .slice(asked)
      .filter((r) => r.operationId === 'users/get-authenticated')
    expect(whoAmI.map((r) => r.status)).toEqual([200, 200])
  } finally {
    gh.actor = BOT_LOGIN
  }
})

test('a benign bump passes', async () => {
  const run = await runAction('pull_request', seedPullRequest(lock('1.0.0'), lock('1.1.0')))
  expect(run.code).toBe(0)
  expect(['none', 'low', 'medium']).toContain(run.outputs.risk)
})

test('a fork PR with a read-only token: no comment, one log line why, summary and failure still right', async () => {
  gh.readOnly = true
  try {
    const run = await runAction(
      'pull_request',
      seedPullRequest(lock('1.0.0'), lock('1.0.1'), { fork: true }),
    )
    expect(run.code).toBe(1)
    expect(run.outputs.risk).toBe('critical')
    expect(run.summary).toContain('threat-email-hardcoded-recipient')
    expect(gh.comments(REPO, prNumber)).toHaveLength(0)
    expect(run.stdout).toMatch(
      /::warning::No review comment was posted: .*fork PR.*pull_request_target/,
    )
  } finally {
    gh.readOnly = false
  }
})

test('nothing MCP-related changed: success, a short summary, no comment', async () => {
  const run = await runAction(
    'pull_request',
    seedPullRequest(lock('1.0.0', '4.17.20'), lock('1.0.0', '4.17.21')),
  )
  expect(run.code).toBe(0)
  expect(run.outputs).toMatchObject({ risk: 'none', 'packages-reviewed': '0' })
  expect(run.summary).toContain(MARKER)
  expect(gh.comments(REPO, prNumber)).toHaveLength(0)
})

test('workflow_dispatch with defaults reviews the latest version against the one before it', async () => {
  const run = await runAction(
    'workflow_dispatch',
    { inputs: {} },
    { package: 'postbox-mcp', to: '1.0.1' },
  )
  expect(run.code).toBe(1)
  const report = ReportSchema.parse(JSON.parse(readFileSync(run.outputs.report!, 'utf8')))
  expect(report.packages[0]).toMatchObject({ from: '1.0.0', to: '1.0.1', risk: 'critical' })
  const latest = await runAction('workflow_dispatch', { inputs: {} }, { package: 'postbox-mcp' })
  const latestReport = ReportSchema.parse(JSON.parse(readFileSync(latest.outputs.report!, 'utf8')))
  expect(latestReport.packages[0]).toMatchObject({ from: '1.0.1', to: '1.1.0' })
})

test('a version the registry no longer has is unverified and fails closed', async () => {
  const gone: Published = {
    ...published['postbox-mcp@1.0.1']!,
    tarball: `${registry.url}postbox-mcp/-/postbox-mcp-9.9.9.tgz`,
  }
  const head = npmLockfileV3([{ name: 'postbox-mcp', version: '9.9.9', published: gone }])
  const run = await runAction('pull_request', seedPullRequest(lock('1.0.0'), head))
  expect(run.code).toBe(1)
  const report = ReportSchema.parse(JSON.parse(readFileSync(run.outputs.report!, 'utf8')))
  expect(report.packages[0]).toMatchObject({
    status: 'unverified',
    error: { code: 'EUNPUBLISHED' },
  })
  expect(run.stdout).toMatch(
    /::error title=mcp-diff-review%3A unverified package,file=package-lock.json/,
  )
  const allowed = await runAction('pull_request', seedPullRequest(lock('1.0.0'), head), {
    'fail-on-unverified': 'false',
  })
  expect(allowed.code).toBe(0)
})

test('a bad input fails with one line naming the input', async () => {
  const run = await runAction(
    'workflow_dispatch',
    { inputs: {} },
    { package: 'postbox-mcp', 'fail-on': 'severe' },
  )
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(
    /::error::EUSAGE: fail-on has an invalid value "severe"\. Allowed: .*never\./,
  )
})

const POLICY = '.github/mcp-diff-review.yml'
const ALLOW_BCC = `packages:\n  postbox-mcp:\n    allow-recipients: [copies@postbox-backup.example]\n`

test('the policy of the base commit accepts a known recipient; the review shows it as accepted', async () => {
  const payload = seedPullRequest(lock('1.0.0'), lock('1.0.1'), {
    baseFiles: { [POLICY]: ALLOW_BCC },
    headFiles: { [POLICY]: ALLOW_BCC },
  })
  const run = await runAction('pull_request', payload)
  expect(run.code).toBe(0)
  const report = ReportSchema.parse(JSON.parse(readFileSync(run.outputs.report!, 'utf8')))
  expect(report.packages[0]!.accepted).toEqual([
    expect.objectContaining({
      ruleId: 'threat-email-hardcoded-recipient',
      reason: 'the policy allows the recipient copies@postbox-backup.example',
    }),
  ])
  expect(gh.comments(REPO, prNumber)[0]!.body).toContain('Accepted by the policy (1)')
})

test('a policy the pull request itself adds is ignored', async () => {
  const payload = seedPullRequest(lock('1.0.0'), lock('1.0.1'), {
    headFiles: { [POLICY]: ALLOW_BCC },
  })
  const run = await runAction('pull_request', payload)
  expect(run.code).toBe(1)
  expect(run.outputs.risk).toBe('critical')
})
