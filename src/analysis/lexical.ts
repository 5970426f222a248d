// The fallback for code the parser rejects (or too large to parse): a linear
// scan for string literals, require() calls and recipient-looking keys, so
// that an unparsable file is still reviewed, not skipped.
import { addFact, emptyFacts, isRecipientField, moduleName, type FileFacts } from './facts.js'
import { lineIndex, lineOf } from './lines.js'
import { revealHidden } from './unicode.js'

const MAX_STRING = 64 * 1024
/** `to:`, `"bcc":`, `msg.cc =` just before a string. Bounded quantifiers: linear. */
const KEY_BEFORE = /([A-Za-z_:-]{1,20})["']?\s{0,4}[:=]\s{0,4}\[?\s{0,4}$/

export function scanLexically(path: string, code: string): FileFacts {
  const facts = emptyFacts(path, false)
  const lineStarts = lineIndex(code)
  let i = 0
  while (i < code.length) {
    const ch = code[i]
    if (ch === '/' && code[i + 1] === '/') {
      i = skipTo(code, '\n', i + 2)
      continue
    }
    if (ch === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2)
      i = end === -1 ? code.length : end + 2
      continue
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = stringEnd(code, i, ch)
      const value = code.slice(i + 1, Math.min(end, i + 1 + MAX_STRING))
      const line = lineOf(lineStarts, i)
      const before = code.slice(Math.max(0, i - 40), i)
      const evidence = revealHidden(
        code.slice(Math.max(0, i - 20), Math.min(end + 1, i + 140)).replace(/\s+/g, ' '),
      )
      if (value) addFact(facts, facts.strings, { value, target: false, line, evidence })
      if (
        /require\(\s{0,4}$/.test(before) ||
        /\bfrom\s{0,4}$/.test(before) ||
        /import\(\s{0,4}$/.test(before)
      )
        addFact(facts, facts.modules, { module: moduleName(value), line, evidence })
      const key = KEY_BEFORE.exec(before)?.[1]
      if (key && isRecipientField(key))
        addFact(facts, facts.recipients, { field: key, constants: [value], line, evidence })
      i = end + 1
      continue
    }
    i++
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
