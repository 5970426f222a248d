// Parsing package code. @babel/parser: pure JS (bundles cleanly), parses
// TypeScript and JSX as well as every ECMAScript version, and recovers from
// many errors, which matters on real npm code and on hostile code.
import { parse, type ParserPlugin } from '@babel/parser'
import type { File } from '@babel/types'
import type { Manifest } from '../schemas.js'
import { INSTALL_SCRIPTS } from './knowledge.js'

/** Files we analyse as code, by extension. */
const CODE_EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/i
const TYPE_DECLARATION = /\.d\.[cm]?ts$/i

/** Beyond this size a file is scanned lexically, not parsed (bounded time and memory). */
export const MAX_PARSE_BYTES = 4 * 1024 * 1024

export function isCodeFile(path: string): boolean {
  return CODE_EXTENSIONS.test(path) && !TYPE_DECLARATION.test(path)
}

/**
 * Package paths that run as code whatever their name: `bin` entries and the
 * files install scripts hand to `node` (`"postinstall": "node setup"`).
 */
export function referencedScripts(manifest: Manifest | null): Set<string> {
  const out = new Set<string>()
  if (!manifest) return out
  const bin = manifest.bin
  const bins = typeof bin === 'string' ? [bin] : isRecord(bin) ? Object.values(bin) : []
  for (const b of bins) if (typeof b === 'string') out.add(normalisePath(b))
  const scripts = manifest.scripts ?? {}
  for (const name of INSTALL_SCRIPTS) {
    const command = scripts[name]
    if (typeof command !== 'string') continue
    // `node x`, `node ./x.js arg`: the first word after each `node`.
    const words = command.slice(0, 1000).split(/\s+/)
    words.forEach((w, i) => {
      const next = words[i + 1]
      if (w === 'node' && next && !next.startsWith('-')) out.add(normalisePath(next))
    })
  }
  return out
}

function normalisePath(p: string): string {
  return p.replace(/^\.\//, '').replace(/\\/g, '/')
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function pluginsFor(path: string): ParserPlugin[] {
  const lower = path.toLowerCase()
  if (lower.endsWith('.tsx')) return ['typescript', 'jsx']
  if (/\.[cm]?ts$/.test(lower)) return ['typescript']
  if (lower.endsWith('.jsx')) return ['jsx']
  return []
}

/**
 * Error recovery keeps an object of about 2 KB per syntax error: 4 MB of
 * `1 1 1 …` took 50 s and 4 GB and crashed the process. Only files up to this
 * size are parsed with recovery (at most ~64,000 errors, ~110 MB, well under
 * a second); a larger file that does not parse cleanly is scanned lexically.
 */
export const MAX_RECOVERY_BYTES = 128 * 1024

/** Null when the code cannot be parsed; the caller falls back to a lexical scan. */
export function parseCode(path: string, code: string): File | null {
  if (code.length > MAX_PARSE_BYTES) return null
  const plugins = pluginsFor(path)
  const attempts: ParserPlugin[][] = plugins.length ? [plugins] : [[], ['jsx']]
  const modes = code.length <= MAX_RECOVERY_BYTES ? [false, true] : [false]
  for (const errorRecovery of modes) {
    for (const attempt of attempts) {
      const ast = tryParse(code, attempt, errorRecovery)
      if (ast) return ast
    }
  }
  return null
}

function tryParse(code: string, plugins: ParserPlugin[], errorRecovery: boolean): File | null {
  // Each recovered error is a SyntaxError: without a stack trace it costs a third less.
  const stackTraceLimit = Error.stackTraceLimit
  if (errorRecovery) Error.stackTraceLimit = 0
  try {
    return parse(code, {
      sourceType: 'unambiguous',
      errorRecovery,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
      allowNewTargetOutsideFunction: true,
      allowSuperOutsideMethod: true,
      attachComment: false,
      plugins,
    })
  } catch {
    // The next attempt, or the lexical fallback. A RangeError (deep nesting) lands here too.
    return null
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
}
