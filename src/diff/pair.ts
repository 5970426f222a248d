// Which file of the old version each file of the new version is diffed
// against. Same path first; then, as `git diff -M`, a removed file and an
// added file are one renamed file when their content is the same (a moved
// file) or similar enough (a bundler chunk whose hashed name changed with a
// small edit inside, e.g. dist/chunk-PD3GT6R2.js -> dist/chunk-KJCT2FXL.js).
import { fingerprint, similarity, type Fingerprint } from './similarity.js'
import { hashBytes } from './text.js'

export type PackageFiles = ReadonlyMap<string, Uint8Array>

/** One file to diff: both sides, or one side of an added or removed file. */
export interface FilePair {
  /** The path in the new version, or in the old one for a removed file. */
  path: string
  /** Set for a rename: the path in the old version. */
  renamedFrom?: string
  oldBytes?: Uint8Array
  newBytes?: Uint8Array
}

/** Git's default (`-M50%`): a pair must share at least half of the larger file. */
export const RENAME_THRESHOLD = 0.5
/**
 * Pairs scored at most, and chunk lookups spent scoring them: beyond these a
 * package with thousands of added and removed files keeps its exact renames
 * only, as git does past `diff.renameLimit`.
 */
const MAX_RENAME_CANDIDATES = 1_000_000
const RENAME_STEPS = 20_000_000

/**
 * Every path that differs, in path order. Byte-identical files at the same
 * path are not listed: there is nothing to diff or analyse again.
 */
export function pairFiles(oldFiles: PackageFiles, newFiles: PackageFiles): FilePair[] {
  const pairs: FilePair[] = []
  const removed: string[] = []
  const added: string[] = []
  for (const [path, oldBytes] of oldFiles) {
    const newBytes = newFiles.get(path)
    if (newBytes === undefined) removed.push(path)
    else if (hashBytes(oldBytes) !== hashBytes(newBytes)) pairs.push({ path, oldBytes, newBytes })
  }
  for (const path of newFiles.keys()) if (!oldFiles.has(path)) added.push(path)
  removed.sort()
  added.sort()

  const renames = findRenames(removed, added, oldFiles, newFiles)
  const paired = new Set(renames.flatMap((r) => [`-${r.from}`, `+${r.to}`]))
  for (const r of renames) {
    pairs.push({
      path: r.to,
      renamedFrom: r.from,
      oldBytes: oldFiles.get(r.from)!,
      newBytes: newFiles.get(r.to)!,
    })
  }
  for (const path of removed) {
    if (!paired.has(`-${path}`)) pairs.push({ path, oldBytes: oldFiles.get(path)! })
  }
  for (const path of added) {
    if (!paired.has(`+${path}`)) pairs.push({ path, newBytes: newFiles.get(path)! })
  }
  return pairs.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
}

export interface Rename {
  from: string
  to: string
  /** 1 for identical content. */
  score: number
}

/**
 * Exact renames (same hash) first, then the best-scoring similar pairs, each
 * file in at most one pair: the highest score wins, then the same file name,
 * then path order, so the result does not depend on map order.
 */
export function findRenames(
  removed: readonly string[],
  added: readonly string[],
  oldFiles: PackageFiles,
  newFiles: PackageFiles,
): Rename[] {
  const renames: Rename[] = []
  const usedFrom = new Set<string>()
  const usedTo = new Set<string>()
  // Removed paths by content, and by content and file name; taken in path order.
  const byHash = new Queues()
  const byHashAndName = new Queues()
  for (const path of removed) {
    const hash = hashBytes(oldFiles.get(path)!)
    byHash.add(hash, path)
    byHashAndName.add(`${hash}/${baseName(path)}`, path)
  }
  for (const to of added) {
    const hash = hashBytes(newFiles.get(to)!)
    const from =
      byHashAndName.take(`${hash}/${baseName(to)}`, usedFrom) ?? byHash.take(hash, usedFrom)
    if (from === undefined) continue
    renames.push({ from, to, score: 1 })
    usedFrom.add(from)
    usedTo.add(to)
  }

  const sources = removed.filter((p) => !usedFrom.has(p) && oldFiles.get(p)!.length > 0)
  const targets = added.filter((p) => !usedTo.has(p) && newFiles.get(p)!.length > 0)
  if (sources.length * targets.length > MAX_RENAME_CANDIDATES) return renames
  const prints = new Map<string, Fingerprint>()
  const print = (side: '-' | '+', path: string): Fingerprint => {
    const key = side + path
    let fp = prints.get(key)
    if (!fp) {
      fp = fingerprint((side === '-' ? oldFiles : newFiles).get(path)!)
      prints.set(key, fp)
    }
    return fp
  }
  const work = { steps: RENAME_STEPS }
  const candidates: Rename[] = []
  for (const from of sources) {
    const fromSize = oldFiles.get(from)!.length
    for (const to of targets) {
      const toSize = newFiles.get(to)!.length
      // Sharing half of the larger file needs the smaller to be at least that large.
      if (Math.min(fromSize, toSize) < RENAME_THRESHOLD * Math.max(fromSize, toSize)) continue
      if (work.steps <= 0) break
      const score = similarity(print('-', from), print('+', to), work)
      if (score >= RENAME_THRESHOLD) candidates.push({ from, to, score })
    }
  }
  candidates.sort(
    (x, y) =>
      y.score - x.score ||
      Number(baseName(y.from) === baseName(y.to)) - Number(baseName(x.from) === baseName(x.to)) ||
      compare(x.to, y.to) ||
      compare(x.from, y.from),
  )
  for (const c of candidates) {
    if (usedFrom.has(c.from) || usedTo.has(c.to)) continue
    renames.push(c)
    usedFrom.add(c.from)
    usedTo.add(c.to)
  }
  return renames
}

/** Lists by key, each read from the front past the entries already used: linear in all. */
class Queues {
  private readonly lists = new Map<string, { items: string[]; next: number }>()

  add(key: string, item: string): void {
    const list = this.lists.get(key)
    if (list) list.items.push(item)
    else this.lists.set(key, { items: [item], next: 0 })
  }

  take(key: string, used: ReadonlySet<string>): string | undefined {
    const list = this.lists.get(key)
    if (!list) return undefined
    while (list.next < list.items.length && used.has(list.items[list.next]!)) list.next++
    return list.items[list.next]
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
