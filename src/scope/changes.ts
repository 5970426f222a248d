// The package changes between two versions of one lockfile: per installed
// instance, never collapsed by name, since a project can hold a package at
// several versions and an update of one copy must not hide behind another.
//
// For each name, old and new instances are paired in three rounds:
//   1. same location: the same instance; a change of version, integrity,
//      resolved or checksum is `updated` (a re-published tarball under the
//      same version is exactly what we must review); no change, nothing;
//   2. the very same content at another location (npm hoisting, a yarn key
//      that gained a range): moved, not changed, so nothing;
//   3. the rest by closest version, same major first: `updated`.
// What is left is `added` or `removed`.
import { compareText } from './lockfiles/common.js'
import type { ChangeKind, InstalledPackage, Lockfile, PackageChange } from './types.js'

/** Past this many candidate pairs for one name, round 3 pairs in version order instead. */
const MAX_SCORED_PAIRS = 250_000

/** Pure. `null` is a lockfile absent at that commit. Sorted by name, then location. */
export function diffLockfiles(before: Lockfile | null, after: Lockfile | null): PackageChange[] {
  const source = after?.path ?? before?.path
  if (source === undefined) return []
  const olds = groupByName(before?.packages ?? [])
  const news = groupByName(after?.packages ?? [])
  const names = new Set([...olds.keys(), ...news.keys()])
  const changes: PackageChange[] = []
  for (const name of names) {
    for (const [kind, old, next] of pairInstances(olds.get(name) ?? [], news.get(name) ?? [])) {
      changes.push({ kind, name, before: old, after: next, source })
    }
  }
  return changes.sort(compareChanges)
}

type Pairing = [ChangeKind, InstalledPackage | null, InstalledPackage | null]

function pairInstances(olds: InstalledPackage[], news: InstalledPackage[]): Pairing[] {
  const result: Pairing[] = []
  const newLeft = new Set(news)

  // 1. Same location.
  const newAt = new Map<string, InstalledPackage>()
  for (const next of news) if (!newAt.has(next.location)) newAt.set(next.location, next)
  let oldLeft: InstalledPackage[] = []
  for (const old of olds) {
    const next = newAt.get(old.location)
    if (!next || !newLeft.has(next)) {
      oldLeft.push(old)
      continue
    }
    newLeft.delete(next)
    if (!sameContent(old, next)) result.push(['updated', old, next])
  }

  // 2. Same content elsewhere.
  const newWith = new Map<string, InstalledPackage[]>()
  for (const next of [...newLeft].sort(byLocation).reverse()) {
    const key = contentKey(next)
    const group = newWith.get(key)
    if (group) group.push(next)
    else newWith.set(key, [next])
  }
  oldLeft = oldLeft.sort(byLocation).filter((old) => {
    const next = newWith.get(contentKey(old))?.pop() // lowest location first
    if (next) newLeft.delete(next)
    return next === undefined
  })

  // 3. Closest version.
  const paired = new Set<InstalledPackage>()
  for (const [old, next] of pairByVersion(oldLeft, [...newLeft].sort(byLocation))) {
    result.push(['updated', old, next])
    paired.add(old)
    newLeft.delete(next)
  }

  for (const old of oldLeft) if (!paired.has(old)) result.push(['removed', old, null])
  for (const next of newLeft) result.push(['added', null, next])
  return result
}

/** Greedy over all pairs, best first: deterministic, and right for the few copies a name has. */
function pairByVersion(
  olds: InstalledPackage[],
  news: InstalledPackage[],
): Array<[InstalledPackage, InstalledPackage]> {
  if (olds.length === 0 || news.length === 0) return []
  if (olds.length * news.length > MAX_SCORED_PAIRS) {
    // Hostile or huge: pair in version order, which is linearithmic.
    const a = [...olds].sort(byVersion)
    const b = [...news].sort(byVersion)
    return a.slice(0, b.length).map((old, i) => [old, b[i] as InstalledPackage])
  }
  const candidates: Array<{ old: InstalledPackage; next: InstalledPackage; score: number[] }> = []
  for (const old of olds) {
    for (const next of news)
      candidates.push({ old, next, score: distance(old.version, next.version) })
  }
  candidates.sort(
    (x, y) =>
      compareScores(x.score, y.score) ||
      compareText(x.old.location, y.old.location) ||
      compareText(x.next.location, y.next.location),
  )
  const usedOld = new Set<InstalledPackage>()
  const usedNew = new Set<InstalledPackage>()
  const pairs: Array<[InstalledPackage, InstalledPackage]> = []
  for (const { old, next } of candidates) {
    if (usedOld.has(old) || usedNew.has(next)) continue
    usedOld.add(old)
    usedNew.add(next)
    pairs.push([old, next])
  }
  return pairs
}

interface Version {
  major: number
  minor: number
  patch: number
  prerelease: string
}

const SEMVER = /^v?(\d{1,15})\.(\d{1,15})\.(\d{1,15})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/

function parseVersion(version: string): Version | null {
  const m = SEMVER.exec(version)
  if (!m) return null
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? '' }
}

/** Smaller is closer: another major last, then the size of the step, part by part. */
function distance(a: string, b: string): number[] {
  const x = parseVersion(a)
  const y = parseVersion(b)
  // Not semver (git, tarball): after every semver pair, equal strings first.
  if (!x || !y) return [2, a === b ? 0 : 1, 0, 0, 0]
  return [
    x.major === y.major ? 0 : 1,
    Math.abs(x.major - y.major),
    Math.abs(x.minor - y.minor),
    Math.abs(x.patch - y.patch),
    x.prerelease === y.prerelease ? 0 : 1,
  ]
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

function byVersion(a: InstalledPackage, b: InstalledPackage): number {
  const x = parseVersion(a.version)
  const y = parseVersion(b.version)
  if (x && y) {
    const d = x.major - y.major || x.minor - y.minor || x.patch - y.patch
    if (d !== 0) return d
  } else if (x || y) {
    return x ? -1 : 1
  }
  return compareText(a.version, b.version) || byLocation(a, b)
}

function byLocation(a: InstalledPackage, b: InstalledPackage): number {
  return compareText(a.location, b.location)
}

function sameContent(a: InstalledPackage, b: InstalledPackage): boolean {
  return contentKey(a) === contentKey(b)
}

/** What identifies the bytes installed: version and every recorded source and hash. */
function contentKey(p: InstalledPackage): string {
  return JSON.stringify([p.version, p.resolved, p.integrity, p.checksum ?? null])
}

function groupByName(packages: InstalledPackage[]): Map<string, InstalledPackage[]> {
  const groups = new Map<string, InstalledPackage[]>()
  for (const p of packages) {
    const group = groups.get(p.name)
    if (group) group.push(p)
    else groups.set(p.name, [p])
  }
  return groups
}

const KIND_ORDER: Record<ChangeKind, number> = { removed: 0, updated: 1, added: 2 }

function compareChanges(a: PackageChange, b: PackageChange): number {
  const where = (c: PackageChange): string => (c.after ?? c.before)?.location ?? ''
  return (
    compareText(a.name, b.name) ||
    compareText(where(a), where(b)) ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
  )
}
