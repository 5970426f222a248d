// The CLI: argv -> config -> the same pipeline as the action -> stdout and an exit code.
// Never imports @actions/core.
import { writeFile } from 'node:fs/promises'
import {
  analysisOptions,
  CLI_USAGE,
  parseCliArgs,
  type CompareConfig,
  type PrConfig,
} from './config.js'
import { describeError } from './errors.js'
import { withCacheDir } from './fetch/tempdir.js'
import { escapeForTerminal, escapeJsonForTerminal } from './render/escape.js'
import { renderJson } from './render/json.js'
import { renderMarkdown } from './render/markdown.js'
import { createFetchSession, type FetchSession } from './fetch/session.js'
import { applyPolicy, readPolicy } from './policy.js'
import { readOptionalFile } from './util/files.js'
import { reviewCompare, reviewPullRequest } from './review.js'
import type { ChangeSource } from './scope/index.js'
import {
  findDefaultBranch,
  findMergeBase,
  listChangedPaths,
  readRepoFile,
  WORKTREE,
} from './scope/git.js'
import type { Report } from './schemas.js'
import { verdictOf } from './verdict.js'
import { VERSION } from './version.js'

export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}

/** Exit codes: 0 below --fail-on, 1 at or above it, 2 on an error. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  try {
    const command = parseCliArgs(argv)
    if (command.mode === 'help') {
      io.stdout(CLI_USAGE + '\n')
      return 0
    }
    if (command.mode === 'version') {
      io.stdout(VERSION + '\n')
      return 0
    }
    return command.mode === 'pr' ? await reviewPr(command, io) : await compare(command, io)
  } catch (err) {
    io.stderr(`mcp-diff-review: ${escapeForTerminal(describeError(err))}\n`)
    return 2
  }
}

async function compare(config: CompareConfig, io: CliIO): Promise<number> {
  // Read first: a policy that cannot be read or parsed fails before a long review.
  const policy = await readPolicy(config.policyPath, (path) =>
    readOptionalFile(path, 'the policy file'),
  )
  const report = await withCacheDir(config.cacheDir, async (cache) => {
    const session = await openSession(config, process.cwd(), cache, io)
    return reviewCompare({ from: config.from, to: config.to }, session.fetchPackage, {
      analysis: analysisOptions(config),
    })
  })
  return finish(applyPolicy(report, policy), config, io)
}

async function reviewPr(config: PrConfig, io: CliIO): Promise<number> {
  const repo = config.repo
  const head = config.head ?? WORKTREE
  const base =
    config.base ??
    (await findMergeBase(repo, await findDefaultBranch(repo), head === WORKTREE ? 'HEAD' : head))
  const source: ChangeSource = {
    listChangedPaths: () => listChangedPaths(repo, base, head),
    readBase: (path) => readRepoFile(repo, base, path),
    readHead: (path) => readRepoFile(repo, head, path),
  }
  // From the base: a change must not be able to allow its own findings.
  const policy = await readPolicy(config.policyPath, (path) => readRepoFile(repo, base, path))
  const report = await withCacheDir(config.cacheDir, async (cache) => {
    const session = await openSession(config, repo, cache, io)
    return reviewPullRequest(source, config, session, { analysis: analysisOptions(config) })
  })
  return finish(applyPolicy(report, policy), config, io)
}

/** Registry settings as npm has them: the repository's and the user's .npmrc, then flags. */
async function openSession(
  config: CompareConfig | PrConfig,
  projectDir: string,
  cache: string,
  io: CliIO,
): Promise<FetchSession> {
  const session = await createFetchSession(
    {
      projectDir,
      env: process.env,
      minReleaseAgeHours: config.minReleaseAgeHours,
      ...(config.registry ? { registry: config.registry } : {}),
    },
    cache,
  )
  for (const warning of session.warnings)
    io.stderr(`mcp-diff-review: warning: ${escapeForTerminal(warning)}\n`)
  return session
}

async function finish(
  report: Report,
  config: CompareConfig | PrConfig,
  io: CliIO,
): Promise<number> {
  if (config.output) await writeFile(config.output, renderJson(report))
  io.stdout(render(report, config))
  const verdict = verdictOf(report, config)
  io.stderr(escapeForTerminal(verdict.summary) + '\n')
  return verdict.fail ? 1 : 0
}

function render(report: Report, config: CompareConfig | PrConfig): string {
  if (config.format === 'json') return escapeJsonForTerminal(renderJson(report))
  // No comment-size limit on a terminal; escape what a terminal would interpret.
  return escapeForTerminal(renderMarkdown(report, { maxLength: Number.MAX_SAFE_INTEGER })) + '\n'
}
