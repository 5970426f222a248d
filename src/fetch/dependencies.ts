// How old each registry dependency of a version is, from its package
// document: a dependency first published days before the release that adds
// it is how a compromised package pulls in its payload. Cheap first: the
// abbreviated document says when the package last changed; only a package
// changed within the horizon is read in full for its creation time.
import npa from 'npm-package-arg'
import pacote from 'pacote'
import { mapLimit } from '../util/concurrency.js'
import { fetchPackumentOnce, oncePerRun } from './documents.js'
import { parsePackument, readDependencyRecord } from './packument.js'
import type { DependencyRecord, ReviewSide } from './types.js'

/** Default bound on documents read per version (each may be large). */
export const DEFAULT_DEPENDENCY_LOOKUPS = 50
const LOOKUP_CONCURRENCY = 4

/**
 * A package last changed longer ago than this is older than any "recent"
 * threshold a rule uses, so its full document is not needed.
 */
const FULL_DOCUMENT_HORIZON_DAYS = 90

export async function fetchDependencyInfo(
  dependencies: Record<string, string>,
  opts: pacote.Options,
  fetchedAt: string,
  max: number,
): Promise<Record<string, DependencyRecord>> {
  const names = registryDependencies(dependencies)
  const out: Record<string, DependencyRecord> = {}
  const checked = names.slice(0, Math.max(0, max))
  const records = await mapLimit(checked, LOOKUP_CONCURRENCY, ({ target }) =>
    lookupOnce(target, opts, fetchedAt),
  )
  checked.forEach(({ name }, i) => (out[name] = records[i] as DependencyRecord))
  for (const { name } of names.slice(checked.length)) {
    out[name] = {
      firstPublished: null,
      lastModified: null,
      error: 'not checked (too many dependencies)',
    }
  }
  return out
}

/** The other version of a review, read from the same package document. */
export interface PairedVersion {
  /** Which side of the review the version being fetched is. */
  side: ReviewSide
  /** The other version's publish time and dependencies. */
  other: { publishedAt: string | null; dependencies: Record<string, string> }
}

/**
 * Which dependencies of a version need their age looked up. The
 * recent-dependency rule reports a dependency of the new version that the
 * old one did not have. A dependency both have (same name, same package) was
 * at least as young when the old version came out, so the old version's own
 * observation cancels it: when the old version came out first, neither its
 * dependencies nor the new version's shared ones can make a finding, and
 * they are not looked up. Times unknown, or the new version the older one (a
 * downgrade): every dependency is, as without a pair.
 */
export function findDependenciesToLookUp(
  dependencies: Record<string, string>,
  publishedAt: string | null,
  paired: PairedVersion | null,
): Record<string, string> {
  if (!paired) return dependencies
  const [from, to] =
    paired.side === 'from'
      ? [publishedAt, paired.other.publishedAt]
      : [paired.other.publishedAt, publishedAt]
  const ordered = from !== null && to !== null && Date.parse(from) <= Date.parse(to)
  if (!ordered) return dependencies
  if (paired.side === 'from') return {}
  const before = new Map(
    registryDependencies(paired.other.dependencies).map((d) => [d.name, d.target]),
  )
  const shared = new Set(
    registryDependencies(dependencies)
      .filter((d) => before.get(d.name) === d.target)
      .map((d) => d.name),
  )
  return Object.fromEntries(Object.entries(dependencies).filter(([name]) => !shared.has(name)))
}

/** Dependencies fetched from a registry, with the package an `npm:` alias stands for. */
function registryDependencies(
  dependencies: Record<string, string>,
): Array<{ name: string; target: string }> {
  const out: Array<{ name: string; target: string }> = []
  for (const [name, spec] of Object.entries(dependencies)) {
    try {
      const parsed = npa.resolve(name, spec)
      const target = parsed.type === 'alias' ? (parsed as npa.AliasResult).subSpec : parsed
      if (['version', 'range', 'tag'].includes(target.type) && target.name) {
        out.push({ name, target: target.name })
      }
    } catch {
      // Not a spec npm can read: the URL-dependency rule looks at it, not us.
    }
  }
  return out
}

/**
 * One lookup per dependency and run: the old and the new version share most
 * dependencies, and each document is read and parsed once (documents.ts).
 */
function lookupOnce(
  name: string,
  opts: pacote.Options,
  fetchedAt: string,
): Promise<DependencyRecord> {
  return oncePerRun(opts, `dependency:${name}`, () => lookup(name, opts, fetchedAt))
}

async function lookup(
  name: string,
  opts: pacote.Options,
  fetchedAt: string,
): Promise<DependencyRecord> {
  try {
    const brief = readDependencyRecord(
      parsePackument(await fetchPackumentOnce(name, { ...opts, fullMetadata: false })),
    )
    if (brief.firstPublished) return brief
    const horizon = Date.parse(fetchedAt) - FULL_DOCUMENT_HORIZON_DAYS * 24 * 3600 * 1000
    if (brief.lastModified && Date.parse(brief.lastModified) < horizon) return brief
    const full = readDependencyRecord(
      parsePackument(await fetchPackumentOnce(name, { ...opts, fullMetadata: true })),
    )
    return { ...full, lastModified: full.lastModified ?? brief.lastModified }
  } catch (err) {
    const code = (err as { code?: unknown }).code
    return {
      firstPublished: null,
      lastModified: null,
      error: typeof code === 'string' ? code : 'lookup failed',
    }
  }
}
