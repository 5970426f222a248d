// Facts read from the text itself, whether or not it parses: hidden
// characters, obfuscator-style names, and encoded or random-looking blobs.
import { addFact, type FileFacts } from './facts.js'
import { lineIndex, lineOf } from './lines.js'
import { findHexIdentifiers, judgeBlob } from './obfuscation.js'
import { describeCodePoints, findHiddenUnicode, revealHidden } from './unicode.js'

const MAX_EVIDENCE = 160

/** What the text shows whether or not it parses: hidden characters, obfuscation, encoded blobs. */
export function addTextFacts(facts: FileFacts, code: string): void {
  // Line starts only when a fact needs a line: most files have none of these.
  let lineStarts: ReturnType<typeof lineIndex> | null = null
  const lineAt = (offset: number): number => lineOf((lineStarts ??= lineIndex(code)), offset)
  for (const run of findHiddenUnicode(code)) {
    const start = Math.max(0, run.offset - 40)
    const context = revealHidden(code.slice(start, Math.min(code.length, run.offset + 60)))
    addFact(facts, facts.hiddenUnicode, {
      kind: run.kind,
      codePoints: describeCodePoints(run.codePoints, run.length),
      line: lineAt(run.offset),
      evidence: context.replace(/\s+/g, ' ').slice(0, MAX_EVIDENCE),
    })
  }
  const hex = findHexIdentifiers(code)
  if (hex) {
    facts.obfuscation.push({
      kind: 'hex-identifiers',
      detail: `${hex.count} names like ${hex.sample}`,
      line: lineAt(hex.offset),
      evidence: code.slice(hex.offset, hex.offset + 80).replace(/\s+/g, ' '),
    })
  }
  const seen = new Set<string>()
  for (const s of facts.strings) {
    const verdict = judgeBlob(s.value)
    if (!verdict || seen.has(verdict.kind)) continue
    seen.add(verdict.kind)
    facts.obfuscation.push({
      kind: verdict.kind,
      detail: verdict.detail,
      line: s.line,
      evidence: s.evidence,
    })
  }
}
