// The fallback for code the parser rejects (or too large to parse): a linear
// scan for string literals, require() calls and recipient-looking keys, so
// that an unparsable file is still reviewed, not skipped.
import {
  addFact,
  addFactWith,
  emptyFacts,
  isRecipientField,
  moduleName,
  type FileFacts,
} from './facts.js'
import { lineIndex, lineOf } from './lines.js'
import { revealHidden } from './unicode.js'

const MAX_STRING = 64 * 1024
/** `to:`, `"bcc":`, `msg.cc =` just before a string. Bounded quantifiers: linear. */
const KEY_BEFORE = /([A-Za-z_:-]{1,20})["']?\s{0,4}[:=]\s{0,4}\[?\s{0,4}$/

/** Where the scan stops: a comment, or a string, may start there. */
const INTERESTING = /[/"'`]/g

export function scanLexically(path: string, code: string): FileFacts {
  const facts = emptyFacts(path, false)
  const lineStarts = lineIndex(code)
  let i = 0
  while (i < code.length) {
    INTERESTING.lastIndex = i
    const next = INTERESTING.exec(code)
    if (!next) break
    i = next.index
    const ch = next[0]
    if (ch === '/' && code[i + 1] === '/') {
      i = skipTo(code, '\n', i + 2)
      continue
    }
    if (ch === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2)
      i = end === -1 ? code.length : end + 2
      continue
    }
    if (ch === '/') {
      i++
      continue
    }
    const end = stringEnd(code, i, ch)
    const value = code.slice(i + 1, Math.min(end, i + 1 + MAX_STRING))
    const line = lineOf(lineStarts, i)
    const start = i
    // Built only for a fact not seen before: most strings of a bundle repeat.
    const evidence = (): string =>
      revealHidden(
        code.slice(Math.max(0, start - 20), Math.min(end + 1, start + 140)).replace(/\s+/g, ' '),
      )
    if (value) addFactWith(facts, facts.strings, { value, target: false, line }, evidence)
    // The regular expressions run only where the character before the
    // string (past a few spaces, and a `[` for keys) can start a match.
    const before = charBefore(code, i)
    if (before === '(' || before === 'm') {
      const text = code.slice(Math.max(0, i - 40), i)
      if (
        /require\(\s{0,4}$/.test(text) ||
        /\bfrom\s{0,4}$/.test(text) ||
        /import\(\s{0,4}$/.test(text)
      )
        addFactWith(facts, facts.modules, { module: moduleName(value), line }, evidence)
    }
    if (isAssignment(code, i)) {
      const key = KEY_BEFORE.exec(code.slice(Math.max(0, i - 40), i))?.[1]
      if (key && isRecipientField(key))
        addFactWith(facts, facts.recipients, { field: key, constants: [value], line }, evidence)
    }
    i = end + 1
  }
  for (const m of code.matchAll(/\b(eval|Function)\s{0,4}\(/g)) {
    const line = lineOf(lineStarts, m.index)
    addFact(facts, facts.dynamicCode, {
      kind: m[1] === 'eval' ? 'eval' : 'Function',
      line,
      evidence: m[0],
    })
  }
  return facts
}

/** The character before `at` past up to 4 spaces (as `\s{0,4}`), or '' at the start. */
function charBefore(code: string, at: number): string {
  const k = spacesBack(code, at - 1)
  return k >= 0 ? code[k]! : ''
}

/** `:` or `=` before `at` past spaces, a `[` and spaces, as the tail of KEY_BEFORE. */
function isAssignment(code: string, at: number): boolean {
  let k = spacesBack(code, at - 1)
  if (code[k] === '[') k--
  k = spacesBack(code, k)
  return code[k] === ':' || code[k] === '='
}

/** From `k` back past at most 4 whitespace characters. */
function spacesBack(code: string, k: number): number {
  for (let n = 0; n < 4 && k >= 0 && /\s/.test(code[k]!); n++) k--
  return k
}

function stringEnd(code: string, start: number, quote: string): number {
  let i = start + 1
  while (i < code.length) {
    const c = code[i]
    if (c === '\\') i += 2
    else if (c === quote) return i
    else if (c === '\n' && quote !== '`') return i
    else i++
  }
  return code.length
}

function skipTo(code: string, ch: string, from: number): number {
  const at = code.indexOf(ch, from)
  return at === -1 ? code.length : at + 1
}
