// What a package document ("packument", the registry's JSON for a package)
// says about one version: who published it and when, how it was built,
// where it claims to come from. Pure: the document arrives as data. Every
// field is untrusted and may be missing or malformed; a malformed field is
// read as absent, never as a reason to stop the review.
import { z } from 'zod'
import {
  type DependencyRecord,
  type PublishRecord,
  type TrustLevel,
  type VersionMetadata,
} from './types.js'

/** A field read leniently: a value of the wrong shape is `undefined`. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined)

/** An object of strings, with the entries that are not strings dropped. */
const StringRecordSchema = z
  .record(z.string(), z.unknown())
  .transform(
    (r) =>
      Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v === 'string')) as Record<
        string,
        string
      >,
  )

const VersionDocSchema = z.looseObject({
  version: lenient(z.string()),
  _npmUser: lenient(
    z.looseObject({
      name: lenient(z.string()),
      trustedPublisher: lenient(z.looseObject({ id: lenient(z.string()) })),
    }),
  ),
  dist: lenient(
    z.looseObject({
      attestations: lenient(
        z.looseObject({
          url: lenient(z.string()),
          provenance: lenient(z.looseObject({ predicateType: lenient(z.string()) })),
        }),
      ),
    }),
  ),
  deprecated: lenient(z.union([z.string(), z.boolean()])),
  repository: lenient(z.union([z.string(), z.looseObject({ url: lenient(z.string()) })])),
  bin: lenient(z.union([z.string(), StringRecordSchema])),
  dependencies: lenient(StringRecordSchema),
  optionalDependencies: lenient(StringRecordSchema),
  peerDependencies: lenient(StringRecordSchema),
})
type VersionDoc = z.infer<typeof VersionDocSchema>

const PackumentSchema = z.looseObject({
  name: lenient(z.string()),
  'dist-tags': lenient(StringRecordSchema),
  // Version documents are parsed one at a time, when needed.
  versions: lenient(z.record(z.string(), z.unknown())),
  time: lenient(z.record(z.string(), z.unknown())),
  /** The abbreviated document's last-modified time. */
  modified: lenient(z.string()),
})
export type Packument = z.infer<typeof PackumentSchema>

/**
 * Parsed once per document object: both versions of a review, and the
 * lookups of a run, read the run's one copy of a document (documents.ts).
 */
const parsedDocuments = new WeakMap<object, Packument>()

export function parsePackument(raw: unknown): Packument {
  const key = typeof raw === 'object' && raw !== null ? raw : null
  const known = key && parsedDocuments.get(key)
  if (known) return known
  const parsed = PackumentSchema.safeParse(raw)
  const packument = parsed.success ? parsed.data : {}
  if (key) parsedDocuments.set(key, packument)
  return packument
}

function versionDoc(packument: Packument, version: string): VersionDoc | null {
  const raw = packument.versions?.[version]
  if (raw === undefined) return null
  const parsed = VersionDocSchema.safeParse(raw)
  return parsed.success ? parsed.data : {}
}

function timeOf(packument: Packument, key: string): string | null {
  const t = packument.time?.[key]
  return typeof t === 'string' && !Number.isNaN(Date.parse(t)) ? t : null
}

/** SLSA provenance predicates (npm publish --provenance writes v0.2 or v1). */
const PROVENANCE_PREDICATE = /^https:\/\/slsa\.dev\/provenance\//

function trustOf(doc: VersionDoc): {
  trust: TrustLevel
  provenance: VersionMetadata['provenance']
  trustedPublisher: VersionMetadata['trustedPublisher']
} {
  const attestations = doc.dist?.attestations
  const predicateType = attestations?.provenance?.predicateType
  const provenance =
    predicateType && PROVENANCE_PREDICATE.test(predicateType)
      ? { predicateType, url: attestations?.url ?? null }
      : null
  const tp = doc._npmUser?.trustedPublisher
  const trustedPublisher = tp ? { id: tp.id ?? 'unknown' } : null
  const trust = trustedPublisher ? 'trusted-publisher' : provenance ? 'provenance' : 'none'
  return { trust, provenance, trustedPublisher }
}

export interface MetadataContext {
  registry: string
  fetchedAt: string
  minReleaseAgeHours: number
}

/** The metadata of `version`; null when the document does not list it. */
export function readVersionMetadata(
  packument: Packument,
  name: string,
  version: string,
  context: MetadataContext,
): VersionMetadata | null {
  const doc = versionDoc(packument, version)
  if (!doc) return null
  const { trust, provenance, trustedPublisher } = trustOf(doc)
  return {
    name,
    version,
    ...context,
    publishedAt: timeOf(packument, version),
    publisher: doc._npmUser?.name ?? null,
    provenance,
    trustedPublisher,
    trust,
    deprecated: deprecationOf(doc.deprecated),
    repository: repositoryOf(doc.repository),
    bin: binOf(doc.bin, name),
    dependencies: dependenciesOf(doc),
    history: readHistory(packument),
    dependencyInfo: {},
  }
}

/** A version's publish time and dependencies; null when the document does not list it. */
export function readDependencySet(
  packument: Packument,
  version: string,
): { publishedAt: string | null; dependencies: Record<string, string> } | null {
  const doc = versionDoc(packument, version)
  return doc ? { publishedAt: timeOf(packument, version), dependencies: dependenciesOf(doc) } : null
}

/** Every dependency npm may install with the version, by name. */
function dependenciesOf(doc: VersionDoc): Record<string, string> {
  return { ...doc.peerDependencies, ...doc.optionalDependencies, ...doc.dependencies }
}

/** readHistory's result per parsed document: it reads every version (1,000 for zod). */
const histories = new WeakMap<Packument, PublishRecord[]>()

/** Every version the document lists, oldest publish first (a copy: callers may keep it). */
export function readHistory(packument: Packument): PublishRecord[] {
  let history = histories.get(packument)
  if (!history) histories.set(packument, (history = historyOf(packument)))
  return [...history]
}

function historyOf(packument: Packument): PublishRecord[] {
  const out: PublishRecord[] = []
  for (const version of Object.keys(packument.versions ?? {})) {
    const doc = versionDoc(packument, version) ?? {}
    out.push({
      version,
      publishedAt: timeOf(packument, version),
      publisher: doc._npmUser?.name ?? null,
      trust: trustOf(doc).trust,
      repository: repositoryOf(doc.repository),
    })
  }
  return out.sort(
    (a, b) =>
      (a.publishedAt ?? '').localeCompare(b.publishedAt ?? '') ||
      a.version.localeCompare(b.version),
  )
}

/** How old a dependency's package is, from its document. */
export function readDependencyRecord(packument: Packument): DependencyRecord {
  return {
    firstPublished: timeOf(packument, 'created') ?? earliestVersionTime(packument),
    lastModified: timeOf(packument, 'modified') ?? validTime(packument.modified),
  }
}

/**
 * When the document has version times but no `created` (some mirrors and
 * proxies drop it), the oldest version's time: never earlier than the real
 * creation, so a package can only look younger than it is, not older.
 */
function earliestVersionTime(packument: Packument): string | null {
  let earliest = Infinity
  for (const [key, t] of Object.entries(packument.time ?? {})) {
    if (key === 'created' || key === 'modified' || typeof t !== 'string') continue
    const ms = Date.parse(t)
    if (ms < earliest) earliest = ms
  }
  // As ISO: Date.parse also takes loose text, which is not repeated in a message.
  return Number.isFinite(earliest) ? new Date(earliest).toISOString() : null
}

function validTime(t: string | undefined): string | null {
  return t !== undefined && !Number.isNaN(Date.parse(t)) ? t : null
}

function deprecationOf(value: string | boolean | undefined): string | null {
  // `npm deprecate pkg ""` un-deprecates by writing an empty string.
  if (typeof value === 'string') return value.trim() === '' ? null : value
  return value === true ? 'deprecated' : null
}

function repositoryOf(value: VersionDoc['repository']): string | null {
  const url = typeof value === 'string' ? value : value?.url
  return url ? normaliseRepository(url) : null
}

function binOf(value: VersionDoc['bin'], name: string): Record<string, string> {
  // A string bin is named after the package, without its scope (npm's normalize).
  if (typeof value === 'string') return { [name.replace(/^@[^/]+\//, '')]: value }
  return value ?? {}
}

// ---------------------------------------------------------------------------
// Repository URLs

/** Shorthands npm accepts in `repository` (hosted-git-info). */
const SHORTHAND_HOSTS: Record<string, string> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  bitbucket: 'bitbucket.org',
}

/** Hosts where a repository is `owner/name` and case does not matter. */
const CASE_INSENSITIVE_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org'])

/**
 * One spelling per repository, so that `git+https://github.com/A/b.git`,
 * `git@github.com:a/b` and `github:a/b` compare equal: https, no userinfo,
 * no `.git`, lower-case host (and path on the big hosts, cut to owner/name).
 */
export function normaliseRepository(raw: string): string | null {
  let s = raw.trim()
  if (s === '') return null
  const shorthand = /^(github|gitlab|bitbucket):(.+)$/i.exec(s)
  if (shorthand)
    s = `https://${SHORTHAND_HOSTS[(shorthand[1] as string).toLowerCase()]}/${shorthand[2]}`
  else if (/^[\w.-]+\/[\w.-]+$/.test(s)) s = `https://github.com/${s}` // npm reads user/repo as GitHub
  s = s.replace(/^git\+/i, '')
  // scp-like `git@host:owner/name`
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    const scp = /^(?:[^@/\s]+@)?([^:/\s]+):\/?(.+)$/.exec(s)
    if (scp) s = `https://${scp[1]}/${scp[2]}`
  }
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return s.slice(0, 500)
  }
  const host = url.hostname.toLowerCase()
  let path = url.pathname.replace(/\/+$/, '').replace(/\.git$/i, '')
  if (CASE_INSENSITIVE_HOSTS.has(host)) path = path.toLowerCase().split('/').slice(0, 3).join('/')
  return `https://${host}${path}`
}

// ---------------------------------------------------------------------------
// Versions the registry no longer has

/**
 * What the document tells about a version it does not list, as a sentence
 * for the EUNPUBLISHED message; null when it tells nothing.
 */
export function describeMissingVersion(
  packument: Packument,
  version: string | null,
): string | null {
  const facts: string[] = []
  const unpublished = packument.time?.unpublished
  if (unpublished && typeof unpublished === 'object') {
    const u = unpublished as { time?: unknown; versions?: unknown }
    const when = typeof u.time === 'string' ? ` on ${u.time}` : ''
    const versions = Array.isArray(u.versions)
      ? ` (it had ${u.versions
          .filter((v) => typeof v === 'string')
          .slice(0, 20)
          .join(', ')})`
      : ''
    facts.push(`the whole package was unpublished${when}${versions}`)
  }
  const listed = Object.keys(packument.versions ?? {})
  const placeholder = listed.length === 1 && /-security$/.test(listed[0] as string)
  if (placeholder) {
    const at = timeOf(packument, listed[0] as string)
    facts.push(
      `npm replaced the package with a security holding package (${listed[0]}${at ? `, ${at}` : ''}): ` +
        'its versions were removed for malicious code',
    )
  }
  const recorded = version ? timeOf(packument, version) : null
  if (version && recorded && !listed.includes(version)) {
    const modified = timeOf(packument, 'modified')
    facts.push(
      `the registry recorded ${version} on ${recorded} and no longer lists it: it was removed` +
        (modified ? ` (the package document last changed on ${modified})` : ''),
    )
  }
  return facts.length > 0 ? facts.join('; ') : null
}
