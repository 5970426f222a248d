// A line diff of two texts as hunks, with bounded cost whatever their size.
import type { Hunk, HunkLine } from '../schemas.js'
import { clipLine, excerptChangedLine, excerptWholeChange, LONG_LINE } from './long-lines.js'
import {
  diffSequences,
  FILE_DIFF_STEPS,
  internAll,
  newBudget,
  subBudget,
  type Budget,
  type Region,
} from './regions.js'
import { fileLines } from './text.js'

const CONTEXT_LINES = 3

export interface TextDiff {
  additions: number
  deletions: number
  /** Line numbers (new version) of added lines. */
  addedLines: Set<number>
  hunks: Hunk[]
  /** Some range was counted as replaced whole: the counts are an upper bound. */
  approximate: boolean
}

/**
 * `path` names the hunks. An empty side makes the other all added or all
 * removed; a removed file keeps no hunks, since no finding points into it.
 */
export function diffTexts(
  path: string,
  oldText: string,
  newText: string,
  /** What the whole package may still spend; the file takes at most FILE_DIFF_STEPS of it. */
  packageBudget: Budget = newBudget(),
): TextDiff {
  const oldLines = fileLines(oldText)
  const newLines = fileLines(newText)
  if (newLines.length === 0) {
    return {
      additions: 0,
      deletions: oldLines.length,
      addedLines: new Set(),
      hunks: [],
      approximate: false,
    }
  }
  const [a, b] = internAll(oldLines, newLines)
  const budget = subBudget(packageBudget, FILE_DIFF_STEPS)
  const { regions, approximate } = diffSequences(a, b, budget)
  const addedLines = new Set<number>()
  let additions = 0
  let deletions = 0
  for (const r of regions) {
    deletions += r.aEnd - r.aStart
    additions += r.bEnd - r.bStart
    for (let j = r.bStart; j < r.bEnd; j++) addedLines.add(j + 1)
  }
  // Source maps are generated and never run: their long lines are not diffed by tokens.
  const tokenDiff = !SOURCE_MAP.test(path)
  const hunks = groupRegions(regions).map((group) =>
    toHunk(path, group, { oldLines, newLines, budget, tokenDiff }),
  )
  budget.spend()
  return { additions, deletions, addedLines, hunks, approximate }
}

/** Regions whose contexts would touch share a hunk, as in `diff -U3`. */
function groupRegions(regions: Region[]): Region[][] {
  const groups: Region[][] = []
  for (const r of regions) {
    const group = groups[groups.length - 1]
    const last = group?.[group.length - 1]
    if (group && last && r.aStart - last.aEnd <= 2 * CONTEXT_LINES) group.push(r)
    else groups.push([r])
  }
  return groups
}

interface Sides {
  oldLines: string[]
  newLines: string[]
  budget: Budget
  /** Changed long lines diffed by tokens (shown as windows around each change). */
  tokenDiff: boolean
}

const SOURCE_MAP = /\.map$/i

function toHunk(path: string, group: Region[], sides: Sides): Hunk {
  const { oldLines, newLines } = sides
  const first = group[0]!
  const last = group[group.length - 1]!
  const lead = Math.min(CONTEXT_LINES, first.aStart, first.bStart)
  const lines: HunkLine[] = []
  const context = (aFrom: number, bFrom: number, count: number): void => {
    for (let i = 0; i < count; i++) {
      lines.push({ kind: 'ctx', line: bFrom + i + 1, text: clipLine(newLines[bFrom + i]!) })
    }
  }
  context(first.aStart - lead, first.bStart - lead, lead)
  group.forEach((r, index) => {
    if (index > 0) {
      const prev = group[index - 1]!
      context(prev.aEnd, prev.bEnd, r.aStart - prev.aEnd)
    }
    pushChange(lines, r, sides)
  })
  const trail = Math.min(CONTEXT_LINES, oldLines.length - last.aEnd, newLines.length - last.bEnd)
  context(last.aEnd, last.bEnd, trail)
  const aFrom = first.aStart - lead
  const bFrom = first.bStart - lead
  return {
    file: path,
    oldStart: aFrom < oldLines.length ? aFrom + 1 : aFrom,
    newStart: bFrom < newLines.length ? bFrom + 1 : bFrom,
    lines,
  }
}

/**
 * Deleted then added lines of one region. A long line replaced by a long line
 * (minified code) is shown as windows around the tokens that changed.
 */
function pushChange(
  lines: HunkLine[],
  r: Region,
  { oldLines, newLines, budget, tokenDiff }: Sides,
): void {
  const dels = r.aEnd - r.aStart
  const adds = r.bEnd - r.bStart
  const excerpts = new Map<number, { old: string; new: string }>()
  for (let i = 0; i < Math.min(dels, adds); i++) {
    const oldLine = oldLines[r.aStart + i]!
    const newLine = newLines[r.bStart + i]!
    if (oldLine.length > LONG_LINE || newLine.length > LONG_LINE) {
      excerpts.set(
        i,
        tokenDiff
          ? excerptChangedLine(oldLine, newLine, budget)
          : excerptWholeChange(oldLine, newLine),
      )
    }
  }
  for (let i = 0; i < dels; i++) {
    const text = excerpts.get(i)?.old ?? oldLines[r.aStart + i]!
    lines.push({ kind: 'del', line: r.aStart + i + 1, text })
  }
  for (let i = 0; i < adds; i++) {
    const text = excerpts.get(i)?.new ?? newLines[r.bStart + i]!
    lines.push({ kind: 'add', line: r.bStart + i + 1, text })
  }
}
