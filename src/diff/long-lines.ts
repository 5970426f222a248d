// Minified code is one long line: a line diff says "line 1 changed" and shows
// megabytes. A changed long line is diffed again by tokens, and shown as short
// windows around the tokens that changed.
import { diffSequences, internAll, type Budget, type Region } from './regions.js'

/** Longer lines are shown as excerpts, not whole. */
export const LONG_LINE = 500
/** Characters of unchanged text shown on each side of a change. */
const CONTEXT_CHARS = 40
/** Characters of one change shown; the rest is elided. */
const MAX_CHANGE_CHARS = 240
/** A changed middle longer than this is not cut into tokens (linear, but ~100 ns a character). */
const MAX_TOKENIZED_CHARS = 256 * 1024
/** Windows shown per line; further changes are counted. */
const MAX_WINDOWS = 8
const ELLIPSIS = '…'

/** Identifiers and numbers, runs of spaces, and any other single character. */
const TOKEN = /[\p{L}\p{N}_$]+|\s+|[\s\S]/gu
const WORD_CHAR = /[\p{L}\p{N}_$]|[\uD800-\uDFFF]/u

export interface LineExcerpts {
  old: string
  new: string
}

/**
 * Both sides of a changed line, cut down to the windows around what changed.
 * Charged to the file's budget: once it is spent, the windows grow (fewer,
 * wider changes), the cost does not.
 */
export function excerptChangedLine(oldLine: string, newLine: string, budget: Budget): LineExcerpts {
  // Paired by position in a range replaced whole, the two may be the same.
  if (oldLine === newLine) return { old: clipLine(oldLine), new: clipLine(newLine) }
  // Only the middle that differs is cut into tokens: a one-character edit in
  // a megabyte line costs a scan of the line, not a token diff of it.
  const [start, oldEnd, newEnd] = changedMiddle(oldLine, newLine)
  budget.steps -= start + (oldLine.length - oldEnd)
  // A rewritten source map or bundle: one window, from the first change to the last.
  if (Math.max(oldEnd, newEnd) - start > MAX_TOKENIZED_CHARS || budget.steps <= 0)
    return oneWindow(oldLine, newLine, start, oldEnd, newEnd)
  const oldTokens = tokenize(oldLine, start, oldEnd)
  const newTokens = tokenize(newLine, start, newEnd)
  const [a, b] = internAll(oldTokens.texts, newTokens.texts)
  const { regions } = diffSequences(a, b, budget)
  const windows = mergeWindows(regions.map((r) => toChars(r, oldTokens.starts, newTokens.starts)))
  return {
    old: render(oldLine, windows, 'a'),
    new: render(newLine, windows, 'b'),
  }
}

/**
 * Both sides of a changed line as one window, from the first change to the
 * last, without a token diff: for source maps, whose `mappings` change
 * everywhere when one line of the source moves, and which never run.
 */
export function excerptWholeChange(oldLine: string, newLine: string): LineExcerpts {
  if (oldLine === newLine) return { old: clipLine(oldLine), new: clipLine(newLine) }
  const [start, oldEnd, newEnd] = changedMiddle(oldLine, newLine)
  return oneWindow(oldLine, newLine, start, oldEnd, newEnd)
}

function oneWindow(
  oldLine: string,
  newLine: string,
  start: number,
  oldEnd: number,
  newEnd: number,
): LineExcerpts {
  const whole = [{ aStart: start, aEnd: oldEnd, bStart: start, bEnd: newEnd }]
  return { old: render(oldLine, whole, 'a'), new: render(newLine, whole, 'b') }
}

/** A long line without a counterpart: its start, marked as cut. */
export function clipLine(text: string, around = 0): string {
  if (text.length <= LONG_LINE) return text
  const start = Math.max(0, Math.min(around - CONTEXT_CHARS, text.length - LONG_LINE))
  const end = start + LONG_LINE
  return (start > 0 ? ELLIPSIS : '') + text.slice(start, end) + (end < text.length ? ELLIPSIS : '')
}

interface Tokens {
  texts: string[]
  /** Character offset of each token, and the line's length at the end. */
  starts: Int32Array
}

/** Tokens of `line` between `from` and `to`, with offsets in the whole line. */
function tokenize(line: string, from: number, to: number): Tokens {
  const texts: string[] = []
  const starts: number[] = []
  for (const m of line.slice(from, to).matchAll(TOKEN)) {
    texts.push(m[0])
    starts.push(from + m.index)
  }
  starts.push(to)
  return { texts, starts: Int32Array.from(starts) }
}

/**
 * [start, oldEnd, newEnd]: what is left of each line without the common
 * prefix and suffix, widened so that no identifier or number is cut.
 */
function changedMiddle(oldLine: string, newLine: string): [number, number, number] {
  const shorter = Math.min(oldLine.length, newLine.length)
  let start = 0
  while (start < shorter && oldLine.charCodeAt(start) === newLine.charCodeAt(start)) start++
  let tail = 0
  while (
    tail < shorter - start &&
    oldLine.charCodeAt(oldLine.length - 1 - tail) === newLine.charCodeAt(newLine.length - 1 - tail)
  )
    tail++
  while (start > 0 && WORD_CHAR.test(oldLine[start - 1]!)) start--
  while (tail > 0 && WORD_CHAR.test(oldLine[oldLine.length - tail]!)) tail--
  return [start, oldLine.length - tail, newLine.length - tail]
}

/** A change in characters: [aStart, aEnd) of the old line, [bStart, bEnd) of the new. */
type CharRegion = Region

function toChars(r: Region, aStarts: Int32Array, bStarts: Int32Array): CharRegion {
  return {
    aStart: aStarts[r.aStart]!,
    aEnd: aStarts[r.aEnd]!,
    bStart: bStarts[r.bStart]!,
    bEnd: bStarts[r.bEnd]!,
  }
}

/** Changes closer than two contexts apart are shown in one window. */
function mergeWindows(changes: CharRegion[]): CharRegion[] {
  const out: CharRegion[] = []
  for (const c of changes) {
    const last = out[out.length - 1]
    // The text between two changes is the same on both sides.
    if (last && c.bStart - last.bEnd <= 2 * CONTEXT_CHARS) {
      last.aEnd = c.aEnd
      last.bEnd = c.bEnd
    } else {
      out.push({ ...c })
    }
  }
  return out
}

function render(line: string, windows: CharRegion[], side: 'a' | 'b'): string {
  const parts: string[] = []
  let shownTo = 0
  for (const w of windows.slice(0, MAX_WINDOWS)) {
    const start = side === 'a' ? w.aStart : w.bStart
    const end = side === 'a' ? w.aEnd : w.bEnd
    const from = Math.max(0, start - CONTEXT_CHARS)
    const to = Math.min(line.length, end + CONTEXT_CHARS)
    if (from > shownTo) parts.push(ELLIPSIS)
    parts.push(line.slice(from, start), clipChange(line.slice(start, end)), line.slice(end, to))
    shownTo = to
  }
  if (windows.length > MAX_WINDOWS) {
    parts.push(`${ELLIPSIS} (${windows.length - MAX_WINDOWS} more changes in this line)`)
  } else if (shownTo < line.length) {
    parts.push(ELLIPSIS)
  }
  return parts.join('')
}

function clipChange(text: string): string {
  if (text.length <= MAX_CHANGE_CHARS) return text
  const half = MAX_CHANGE_CHARS / 2
  return text.slice(0, half) + ELLIPSIS + text.slice(text.length - half)
}
