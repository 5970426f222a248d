// Pairs the files of two package versions and diffs the text ones.
import { structuredPatch } from 'diff'
import type { FileStatus, Hunk, HunkLine } from '../schemas.js'
import { decodeText, hashBytes, isBinary, splitLines } from './text.js'

export type PackageFiles = ReadonlyMap<string, Uint8Array>

export interface FileDiff {
  path: string
  status: FileStatus
  binary: boolean
  additions: number
  deletions: number
  /** Line numbers (new version) of added lines; every line for an added file. */
  addedLines: ReadonlySet<number>
  hunks: Hunk[]
  /** Set when the diff gave up (edit too long) and the whole file counts as changed. */
  approximate: boolean
}

/**
 * Beyond this many edits (Myers' D; the cost grows with lines x D) or this much
 * time, a diff costs too much and the whole file counts as changed.
 */
const MAX_EDIT_LENGTH = 2_000
const DIFF_TIMEOUT_MS = 2_000
const CONTEXT_LINES = 3

export function diffPackages(oldFiles: PackageFiles | null, newFiles: PackageFiles): FileDiff[] {
  const before = oldFiles ?? new Map<string, Uint8Array>()
  const paths = [...new Set([...before.keys(), ...newFiles.keys()])].sort()
  const diffs: FileDiff[] = []
  for (const path of paths) {
    const diff = diffFile(path, before.get(path), newFiles.get(path))
    if (diff) diffs.push(diff)
  }
  return diffs
}

/** Null when the file is byte-identical in both versions. */
export function diffFile(
  path: string,
  oldBytes: Uint8Array | undefined,
  newBytes: Uint8Array | undefined,
): FileDiff | null {
  if (oldBytes && newBytes && hashBytes(oldBytes) === hashBytes(newBytes)) return null
  const status: FileStatus = !oldBytes ? 'added' : !newBytes ? 'removed' : 'modified'
  const binary = [oldBytes, newBytes].some((b) => b !== undefined && isBinary(b))
  if (binary) {
    return {
      path,
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
  return diffText(path, status, oldText, newText)
}

function diffText(path: string, status: FileStatus, oldText: string, newText: string): FileDiff {
  const patch =
    status === 'modified'
      ? structuredPatch(path, path, oldText, newText, undefined, undefined, {
          context: CONTEXT_LINES,
          maxEditLength: MAX_EDIT_LENGTH,
          timeout: DIFF_TIMEOUT_MS,
        })
      : undefined
  if (!patch) return wholeFileDiff(path, status, oldText, newText, status === 'modified')

  const hunks: Hunk[] = []
  const addedLines = new Set<number>()
  let additions = 0
  let deletions = 0
  for (const h of patch.hunks) {
    let oldLine = h.oldStart
    let newLine = h.newStart
    const lines: HunkLine[] = []
    for (const raw of h.lines) {
      const mark = raw[0]
      const text = raw.slice(1)
      if (mark === '+') {
        lines.push({ kind: 'add', line: newLine, text })
        addedLines.add(newLine++)
        additions++
      } else if (mark === '-') {
        lines.push({ kind: 'del', line: oldLine++, text })
        deletions++
      } else if (mark === ' ') {
        lines.push({ kind: 'ctx', line: newLine++, text })
        oldLine++
      }
    }
    hunks.push({ file: path, oldStart: h.oldStart, newStart: h.newStart, lines })
  }
  return {
    path,
    status,
    binary: false,
    additions,
    deletions,
    addedLines,
    hunks,
    approximate: false,
  }
}

/** An added or removed file, or a modified one too costly to diff: one hunk of everything. */
function wholeFileDiff(
  path: string,
  status: FileStatus,
  oldText: string,
  newText: string,
  approximate: boolean,
): FileDiff {
  const oldLines = status === 'added' ? [] : withoutFinalEmpty(splitLines(oldText))
  const newLines = status === 'removed' ? [] : withoutFinalEmpty(splitLines(newText))
  const lines: HunkLine[] = [
    ...oldLines.map((text, i): HunkLine => ({ kind: 'del', line: i + 1, text })),
    ...newLines.map((text, i): HunkLine => ({ kind: 'add', line: i + 1, text })),
  ]
  return {
    path,
    status,
    binary: false,
    additions: newLines.length,
    deletions: oldLines.length,
    addedLines: new Set(newLines.map((_, i) => i + 1)),
    hunks: lines.length
      ? [
          {
            file: path,
            oldStart: oldLines.length ? 1 : 0,
            newStart: newLines.length ? 1 : 0,
            lines,
          },
        ]
      : [],
    approximate,
  }
}

function withoutFinalEmpty(lines: string[]): string[] {
  return lines.length && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines
}
