// The few diff lines a reviewer needs: the hunks around each finding.
import type { Finding, Hunk, HunkLine } from '../schemas.js'
import type { FileDiff } from './files.js'
import { clipLine } from './long-lines.js'

const RADIUS = 4
const MAX_HUNKS = 12

/** Windows of the diff around the findings' lines, merged per file, in finding order. */
export function focusHunks(diffs: FileDiff[], findings: Finding[]): Hunk[] {
  const byPath = new Map(diffs.map((d) => [d.path, d]))
  const windows = new Map<string, Array<[number, number]>>() // file -> [start, end] over its flat lines
  const order: string[] = []
  const flat = new Map<string, NumberedLine[]>()
  for (const f of findings) {
    const diff = f.line === null ? undefined : byPath.get(f.file)
    if (!diff) continue
    let lines = flat.get(f.file)
    if (!lines) {
      lines = diff.hunks.flatMap((h, i) => numberOldLines(h, i))
      flat.set(f.file, lines)
    }
    const at = lines.findIndex((l) => l.line.kind !== 'del' && l.line.line === f.line)
    if (at === -1) continue
    focusLine(lines[at]!, f.evidence)
    if (!windows.has(f.file)) {
      windows.set(f.file, [])
      order.push(f.file)
    }
    // A window never crosses into another hunk: the lines between them are not shown.
    const hunk = lines[at]!.hunk
    let start = at
    while (start > 0 && at - start < RADIUS && lines[start - 1]!.hunk === hunk) start--
    let end = at
    while (end < lines.length - 1 && end - at < RADIUS && lines[end + 1]!.hunk === hunk) end++
    windows.get(f.file)!.push([start, end])
  }
  const hunks: Hunk[] = []
  for (const file of order) {
    const lines = flat.get(file)!
    const sameHunk = (a: number, b: number): boolean => lines[a]!.hunk === lines[b]!.hunk
    for (const [start, end] of mergeRanges(windows.get(file)!, sameHunk)) {
      const slice = lines.slice(start, end + 1)
      const firstNew = slice.find((l) => l.line.kind !== 'del')
      hunks.push({
        file,
        oldStart: slice[0]!.oldLine,
        newStart: firstNew?.line.line ?? 0,
        lines: slice.map(shownLine),
      })
      if (hunks.length >= MAX_HUNKS) return hunks
    }
  }
  return hunks
}

/** A hunk line with the old version's line number at that point. */
interface NumberedLine {
  line: HunkLine
  oldLine: number
  /** Index of the diff hunk the line belongs to. */
  hunk: number
  /** Where a long line is cut for display: around the first finding's evidence on it. */
  around?: number
}

function focusLine(numbered: NumberedLine, evidence: string): void {
  if (numbered.around !== undefined) return
  // Evidence is shortened with an ellipsis; its start is enough to find it.
  const probe = evidence.slice(0, 40).split('…')[0]!
  const at = probe ? numbered.line.text.indexOf(probe) : -1
  numbered.around = Math.max(0, at)
}

/** A minified line is megabytes: shown as a window, around the finding on it. */
function shownLine(numbered: NumberedLine): HunkLine {
  const text = clipLine(numbered.line.text, numbered.around ?? 0)
  return text === numbered.line.text ? numbered.line : { ...numbered.line, text }
}

function numberOldLines(hunk: Hunk, index: number): NumberedLine[] {
  let old = hunk.oldStart
  return hunk.lines.map((line) => {
    const oldLine = line.kind === 'del' ? line.line : old
    if (line.kind !== 'add') old++
    return { line, oldLine, hunk: index }
  })
}

function mergeRanges(
  ranges: Array<[number, number]>,
  sameHunk: (a: number, b: number) => boolean,
): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r[0] <= last[1] + 1 && sameHunk(r[0], last[1])) last[1] = Math.max(last[1], r[1])
    else out.push([r[0], r[1]])
  }
  return out
}
