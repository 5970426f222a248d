// The CLI: argv -> config -> the same pipeline as the action -> stdout and an exit code.
// Never imports @actions/core.
import { writeFile } from 'node:fs/promises'
import { CLI_USAGE, parseCliArgs, type CompareConfig } from './config.js'
import { isReviewError } from './errors.js'
import { fetchPackage } from './fetch/pacote.js'
import { withTempDir } from './fetch/tempdir.js'
import { escapeForTerminal } from './render/escape.js'
import { renderJson } from './render/json.js'
import { renderMarkdown } from './render/markdown.js'
import { reviewCompare } from './review.js'
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
    return await compare(command, io)
  } catch (err) {
    io.stderr(`mcp-diff-review: ${describeError(err)}\n`)
    return 2
  }
}

async function compare(config: CompareConfig, io: CliIO): Promise<number> {
  const report = await withTempDir((cache) =>
    reviewCompare({ from: config.from, to: config.to }, (spec) =>
      fetchPackage(spec, { cache, ...(config.registry ? { registry: config.registry } : {}) }),
    ),
  )
  if (config.output) await writeFile(config.output, renderJson(report))
  io.stdout(render(report, config))
  const verdict = verdictOf(report, config)
  io.stderr(escapeForTerminal(verdict.summary) + '\n')
  return verdict.fail ? 1 : 0
}

function render(report: Report, config: CompareConfig): string {
  if (config.format === 'json') return renderJson(report)
  // No comment-size limit on a terminal; escape what a terminal would interpret.
  return escapeForTerminal(renderMarkdown(report, { maxLength: Number.MAX_SAFE_INTEGER })) + '\n'
}

/** One line: the code and what to do; a stack trace only for our own bugs. */
export function describeError(err: unknown): string {
  if (isReviewError(err)) return escapeForTerminal(`${err.code}: ${err.message}`)
  const message = err instanceof Error ? err.message : String(err)
  return escapeForTerminal(
    `internal error: ${message} (please report this at the project's issue tracker)`,
  )
}
