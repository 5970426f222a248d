// Characters a reviewer cannot see: bidirectional controls (Trojan Source,
// CVE-2021-42574), zero-width characters, variation selectors carrying a
// payload, and Unicode tag characters (ASCII smuggling). One linear pass.

export type HiddenUnicodeKind = 'bidi-control' | 'zero-width' | 'variation-selector' | 'tag'

export interface HiddenUnicode {
  kind: HiddenUnicodeKind
  /** UTF-16 offset of the first character of the run. */
  offset: number
  /** The run's code points, at most a few. */
  codePoints: number[]
  /** How many hidden characters the run has. */
  length: number
}

const MAX_RUNS = 50
const MAX_SHOWN = 4
/** Scotland-style flag emoji are tag sequences after a black flag. */
const BLACK_FLAG = 0x1f3f4
const CANCEL_TAG = 0xe007f

export function kindOf(cp: number): HiddenUnicodeKind | null {
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi-control'
  if (
    (cp >= 0x200b && cp <= 0x200d) ||
    cp === 0x2060 ||
    cp === 0xfeff ||
    cp === 0x180e ||
    cp === 0x3164 || // Hangul filler: an invisible identifier
    cp === 0xffa0 ||
    cp === 0x115f ||
    cp === 0x1160
  )
    return 'zero-width'
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef))
    return 'variation-selector'
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag'
  return null
}

/** Hidden characters in a text, as runs; ordinary uses in emoji and scripts are left out. */
export function findHiddenUnicode(text: string): HiddenUnicode[] {
  const out: HiddenUnicode[] = []
  // Every hidden character is at U+115F or above (or a surrogate pair): jump to the next such unit.
  const candidate = /[\u115f-\uffff]/g
  let i = 0
  while (i < text.length && out.length < MAX_RUNS) {
    candidate.lastIndex = i
    const next = candidate.exec(text)
    if (!next) break
    i = next.index
    const cp = text.codePointAt(i)!
    const kind = kindOf(cp)
    if (!kind) {
      i += cp > 0xffff ? 2 : 1
      continue
    }
    const start = i
    const codePoints: number[] = []
    let length = 0
    let last = cp
    while (i < text.length) {
      const c = text.codePointAt(i)!
      if (kindOf(c) !== kind) break
      if (codePoints.length < MAX_SHOWN) codePoints.push(c)
      length++
      last = c
      i += c > 0xffff ? 2 : 1
    }
    const before = start > 0 ? codePointBefore(text, start) : null
    const after = i < text.length ? text.codePointAt(i)! : null
    if (!isOrdinary(kind, start, length, before, after, last))
      out.push({ kind, offset: start, codePoints, length })
  }
  return out
}

function codePointBefore(text: string, at: number): number {
  const low = text.charCodeAt(at - 1)
  if (at >= 2 && low >= 0xdc00 && low <= 0xdfff) return text.codePointAt(at - 2)!
  return low
}

function isOrdinary(
  kind: HiddenUnicodeKind,
  start: number,
  length: number,
  before: number | null,
  after: number | null,
  last: number,
): boolean {
  switch (kind) {
    case 'bidi-control':
      return false
    case 'zero-width':
      // A byte-order mark at the start; joiners inside emoji, Indic or Persian text.
      if (start === 0 && length === 1) return true
      return length === 1 && before !== null && after !== null && before > 0x7f && after > 0x7f
    case 'variation-selector':
      // One selector after an emoji or a CJK character (or a keycap digit) picks its glyph;
      // a run of them encodes bytes.
      return length === 1 && before !== null && (before > 0x7f || isKeycapBase(before))
    case 'tag':
      return before === BLACK_FLAG && last === CANCEL_TAG
  }
}

function isKeycapBase(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || cp === 0x23 || cp === 0x2a
}

/** `U+202E U+2066` for evidence: the characters named, never printed. */
export function describeCodePoints(codePoints: number[], length: number): string {
  const shown = codePoints.map((c) => 'U+' + c.toString(16).toUpperCase().padStart(4, '0'))
  return shown.join(' ') + (length > codePoints.length ? ` … (${length} characters)` : '')
}

/** The text with hidden characters replaced by their `<U+XXXX>` names, for evidence. */
export function revealHidden(text: string): string {
  let out = ''
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    out += kindOf(cp) ? `<U+${cp.toString(16).toUpperCase()}>` : ch
  }
  return out
}
