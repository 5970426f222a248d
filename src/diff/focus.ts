// The few diff lines a reviewer needs: the hunks around each finding.
import type { Finding, Hunk, HunkLine } from '../schemas.js'
import type { FileDiff } from './files.js'

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
      lines = diff.hunks.flatMap(numberOldLines)
      flat.set(f.file, lines)
    }
    const at = lines.findIndex((l) => l.line.kind !== 'del' && l.line.line === f.line)
    if (at === -1) continue
    if (!windows.has(f.file)) {
      windows.set(f.file, [])
      order.push(f.file)
    }
    windows.get(f.file)!.push([Math.max(0, at - RADIUS), Math.min(lines.length - 1, at + RADIUS)])
  }
  const hunks: Hunk[] = []
  for (const file of order) {
    const lines = flat.get(file)!
    for (const [start, end] of mergeRanges(windows.get(file)!)) {
      const slice = lines.slice(start, end + 1)
      const firstNew = slice.find((l) => l.line.kind !== 'del')
      hunks.push({
        file,
        oldStart: slice[0]!.oldLine,
        newStart: firstNew?.line.line ?? 0,
        lines: slice.map((l) => l.line),
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
}

function numberOldLines(hunk: Hunk): NumberedLine[] {
  let old = hunk.oldStart
  return hunk.lines.map((line) => {
    const oldLine = line.kind === 'del' ? line.line : old
    if (line.kind !== 'add') old++
    return { line, oldLine }
  })
}

function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1])
    else out.push([r[0], r[1]])
  }
  return out
}
