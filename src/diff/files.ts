// The files of two package versions, paired (renames included) and diffed.
import type { FileStatus, FileSummary, Hunk } from '../schemas.js'
import { diffTexts } from './hunks.js'
import { pairFiles, type FilePair, type PackageFiles } from './pair.js'
import { newBudget, type Budget } from './regions.js'
import { decodeText, isBinary } from './text.js'

export type { PackageFiles } from './pair.js'

export interface FileDiff {
  /** The path in the new version (the old one for a removed file). */
  path: string
  /** Set when the file was moved or renamed: its path in the old version. */
  renamedFrom?: string
  /** A renamed file is `modified`, even when its content is the same. */
  status: FileStatus
  binary: boolean
  additions: number
  deletions: number
  /** Line numbers (new version) of added lines; every line for an added file. */
  addedLines: ReadonlySet<number>
  hunks: Hunk[]
  /**
   * Set when the diff ran out of budget (a huge or rewritten file) and counted
   * some range as replaced whole: the counts are an upper bound.
   */
  approximate: boolean
}

/**
 * Diff effort for one package (~0.5 s): once it is spent, files are still
 * trimmed to their changed middle, and that middle counts as replaced.
 */
const PACKAGE_DIFF_STEPS = 50_000_000

export function diffPackages(oldFiles: PackageFiles | null, newFiles: PackageFiles): FileDiff[] {
  const budget = newBudget(PACKAGE_DIFF_STEPS)
  return pairFiles(oldFiles ?? new Map(), newFiles).map((pair) => diffPair(pair, budget))
}

function diffPair(pair: FilePair, budget: Budget): FileDiff {
  const { path, oldBytes, newBytes } = pair
  const status: FileStatus = !oldBytes ? 'added' : !newBytes ? 'removed' : 'modified'
  const renamed = pair.renamedFrom === undefined ? {} : { renamedFrom: pair.renamedFrom }
  const binary = [oldBytes, newBytes].some((b) => b !== undefined && isBinary(b))
  if (binary) {
    return {
      path,
      ...renamed,
      status,
      binary,
      additions: 0,
      deletions: 0,
      addedLines: new Set(),
      hunks: [],
      approximate: false,
    }
  }
  const oldText = oldBytes ? decodeText(oldBytes) : ''
  const newText = newBytes ? decodeText(newBytes) : ''
  return { path, ...renamed, status, binary, ...diffTexts(path, oldText, newText, budget) }
}

/** What the report says of each file. */
export function summarizeFiles(diffs: readonly FileDiff[]): FileSummary[] {
  return diffs.map((d) => ({
    path: d.path,
    ...(d.renamedFrom === undefined ? {} : { renamedFrom: d.renamedFrom }),
    status: d.status,
    binary: d.binary,
    additions: d.additions,
    deletions: d.deletions,
    ...(d.approximate ? { approximate: true } : {}),
  }))
}
