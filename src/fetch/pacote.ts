// Fetch a package tarball with pacote (npm's fetcher: same registry protocol,
// auth, caching and integrity checks as `npm install`) and read it in memory,
// with what the registry's package document says about the version. For
// registry specs the document is read once (packument, then the manifest
// picked from it); otherwise only `tarball` is used: pacote's extract and
// manifest for local files would write the package to disk, and git/directory
// specs would run its scripts.
import { createHash } from 'node:crypto'
import pacote from 'pacote'
import { ReviewError } from '../errors.js'
import { fetchAttestationCheck } from './attestations.js'
import {
  DEFAULT_DEPENDENCY_LOOKUPS,
  fetchDependencyInfo,
  findDependenciesToLookUp,
  type PairedVersion,
} from './dependencies.js'
import { fetchPackumentOnce } from './documents.js'
import { emptyRegistryConfig, npmrcOptions, secretsOf } from './npmrc.js'
import {
  parsePackument,
  readDependencySet,
  readVersionMetadata,
  type Packument,
} from './packument.js'
import { describe, redact, toReviewError, type ErrorContext } from './registry-errors.js'
import { parseSpec, type ParsedSpec } from './spec.js'
import { readBounded } from './stream.js'
import {
  DEFAULT_LIMITS,
  type FetchOptions,
  type FetchedPackage,
  type PackageContents,
  type RetryOptions,
  type VersionMetadata,
} from './types.js'
import { readTarball } from './untar.js'

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/'
export const DEFAULT_TIMEOUT_MS = 30_000
export const DEFAULT_RETRY: RetryOptions = { retries: 2, minTimeoutMs: 500, maxTimeoutMs: 4000 }
export const DEFAULT_MIN_RELEASE_AGE_HOURS = 48

/** Fetch, verify and read one package. Never runs any of its code. */
export async function fetchPackage(spec: string, opts: FetchOptions): Promise<FetchedPackage> {
  const parsed = parseSpec(spec)
  const limits = opts.limits ?? DEFAULT_LIMITS
  const fetchedAt = (opts.now ?? new Date()).toISOString()
  const base = pacoteOptions(opts)
  const ctx = errorContext(parsed, base, opts)
  // Aborts the download once the tarball is over the bound.
  const download = new AbortController()

  let resolved: string
  let picked: { version: string; integrity: string | null } | null = null
  let pending: PendingMetadata | null = null
  let expected: Expected | null = null
  let tgz: Buffer
  try {
    if (parsed.kind === 'registry') {
      // One request: the manifest is picked from the cached document.
      ctx.packument = parsePackument(await fetchPackumentOnce(parsed.name, base))
      // With the lockfile's integrity: pacote refuses a version the registry
      // lists with another one before anything is downloaded.
      const recorded = opts.integrity ? { integrity: opts.integrity } : {}
      const manifest = await pacote.manifest(parsed.pacoteSpec, { ...base, ...recorded })
      resolved = manifest._resolved
      picked = { version: manifest.version, integrity: manifest._integrity ?? null }
      // The dependency documents download with the tarball.
      pending = startMetadata(ctx.packument, parsed.name, picked.version, {
        base,
        fetchedAt,
        registry: redact(ctx.registry, ctx.secrets),
        opts,
        paired: await pairedVersion(opts.pairedWith, parsed.name, ctx.packument, base),
      })
    } else {
      resolved = await pacote.resolve(parsed.pacoteSpec, base)
    }
    // The lockfile's integrity, else the registry's dist.integrity.
    const integrity = opts.integrity ?? picked?.integrity ?? undefined
    expected = integrity ? parseIntegrity(integrity, parsed) : null
    // A compressed tarball larger than the inflated bound cannot be reviewed;
    // the slack covers gzip's few bytes of overhead on incompressible data.
    const maxBytes = limits.maxTotalBytes + Math.ceil(limits.maxTotalBytes / 64) + 64 * 1024
    tgz = await pacote.tarball.stream(
      parsed.pacoteSpec,
      (stream) =>
        readBounded(
          stream,
          maxBytes,
          () => download.abort(),
          () =>
            new ReviewError(
              'ETOOLARGE',
              `the tarball of ${describe(parsed)} is larger than ${maxBytes} bytes (maxTotalBytes); it was not reviewed`,
            ),
        ),
      {
        ...base,
        signal: download.signal,
        resolved,
        ...(integrity ? { integrity } : {}),
        // A tarball is immutable once its integrity is known: take it from the
        // cache without asking. The document was revalidated above, so a
        // removed version is not served from an old copy.
        preferOnline: false,
      },
    )
  } catch (err) {
    throw toReviewError(err, parsed, ctx)
  }
  // pacote checked `expected` already; checking again costs one hash and
  // does not depend on how pacote treats its cache.
  if (expected) checkIntegrity(tgz, expected, parsed)

  const contents = readTarball(tgz, limits)
  const { name, version } = readManifest(contents, parsed)
  opts.onContents?.(contents)
  const sha512 = createHash('sha512').update(tgz).digest()
  const metadata = pending
    ? await finishMetadata(pending, {
        base,
        registry: ctx.registry,
        secrets: ctx.secrets,
        sha512: sha512.toString('hex'),
      })
    : null
  return {
    spec,
    name,
    version,
    resolved: redact(resolved, ctx.secrets),
    integrity: 'sha512-' + sha512.toString('base64'),
    contents,
    metadata,
  }
}

/** A version's metadata read from its document, and its dependencies' ages on the way. */
interface PendingMetadata {
  metadata: VersionMetadata
  dependencyInfo: Promise<VersionMetadata['dependencyInfo']>
}

function startMetadata(
  packument: Packument,
  name: string,
  version: string,
  how: {
    base: pacote.Options
    fetchedAt: string
    registry: string
    opts: FetchOptions
    paired: PairedVersion | null
  },
): PendingMetadata | null {
  const metadata = readVersionMetadata(packument, name, version, {
    registry: how.registry,
    fetchedAt: how.fetchedAt,
    minReleaseAgeHours: how.opts.minReleaseAgeHours ?? DEFAULT_MIN_RELEASE_AGE_HOURS,
  })
  if (!metadata) return null
  const dependencyInfo = fetchDependencyInfo(
    findDependenciesToLookUp(metadata.dependencies, metadata.publishedAt, how.paired),
    how.base,
    how.fetchedAt,
    how.opts.maxDependencyLookups ?? DEFAULT_DEPENDENCY_LOOKUPS,
  )
  // Awaited only once the tarball is read; a failed download must not leave
  // it unhandled (it never rejects: each lookup records its own error).
  dependencyInfo.catch(() => undefined)
  return { metadata, dependencyInfo }
}

/**
 * The review's other version, read from this package's document (already
 * here: pacote.manifest picks it from the run's copy). Null, and every
 * dependency looked up, when it is another package, not a registry spec, or
 * not in the document. Both sides decide from the same document, so they
 * agree; were one side paired and not the other, the review could only
 * report more than with no pairing at all, never less.
 */
async function pairedVersion(
  pairedWith: FetchOptions['pairedWith'],
  name: string,
  packument: Packument,
  base: pacote.Options,
): Promise<PairedVersion | null> {
  if (!pairedWith) return null
  try {
    const other = parseSpec(pairedWith.spec)
    if (other.kind !== 'registry' || other.name !== name) return null
    const { version } = await pacote.manifest(other.pacoteSpec, base)
    const set = readDependencySet(packument, version)
    return set ? { side: pairedWith.side, other: set } : null
  } catch {
    // Its own fetch reports what is wrong with it.
    return null
  }
}

async function finishMetadata(
  pending: PendingMetadata,
  /** The package's registry (unredacted: it is asked) and the sha512 (hex) of the tarball reviewed. */
  attestation: { base: pacote.Options; registry: string; secrets: string[]; sha512: string },
): Promise<VersionMetadata> {
  const { metadata } = pending
  const { name, version } = metadata
  const { base, registry, secrets, sha512 } = attestation
  const [dependencyInfo, check] = await Promise.all([
    pending.dependencyInfo,
    // The subject of the attestation against the bytes reviewed, never the
    // Sigstore signature (see attestations.ts); never throws.
    fetchAttestationCheck(
      metadata.provenance,
      { name, version, sha512 },
      { base, registry, secrets },
    ),
  ])
  metadata.dependencyInfo = dependencyInfo
  metadata.attestation = check
  return metadata
}

/**
 * What pacote and npm-registry-fetch read from their options: registries,
 * credentials, cache, retries and timeout. Exported so that every other
 * pacote call (manifests, version lists) asks the same registries the same way.
 */
export function pacoteOptions(opts: FetchOptions): pacote.Options {
  const retry = opts.retry ?? DEFAULT_RETRY
  const npmrc = opts.npmrc ?? emptyRegistryConfig()
  return {
    // Scoped registries and per-registry credentials, keyed as npm keys them.
    ...npmrcOptions(npmrc),
    registry: opts.registry ?? npmrc.registry ?? DEFAULT_REGISTRY,
    cache: opts.cache,
    // Never opts.integrity: it is one tarball's, and these options serve every
    // request of a fetch (documents, the other version, attestations).
    // fetchPackage hands it to the calls about that tarball.
    // Revalidate package documents: an unpublished version must not be
    // served from an old cached copy.
    preferOnline: true,
    // Full documents: publish times, publishers and attestations are not in
    // the abbreviated ones. Shared, so the registry is asked once per package.
    fullMetadata: true,
    packumentCache: opts.packumentCache ?? new Map(),
    // npm-registry-fetch hands these to make-fetch-happen, which retries
    // 408, 429, 5xx, resets and timeouts of package documents and tarballs.
    retry: {
      retries: retry.retries,
      factor: 2,
      minTimeout: retry.minTimeoutMs,
      maxTimeout: retry.maxTimeoutMs,
    },
    // Until the answer starts, and (the agent's idle timeout) between chunks.
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Defence in depth, parseSpec refuses these already: fetching git or
    // directory specs runs the package's prepare script.
    ...({ allowGit: 'none', allowDirectory: 'none', ignoreScripts: true } as object),
  } as pacote.Options
}

/** What an error message about `parsed` may say: its registry, our retries, and the secrets to scrub. */
export function errorContext(
  parsed: ParsedSpec,
  base: pacote.Options,
  opts: FetchOptions,
): ErrorContext {
  const registry = registryFor(parsed, base)
  return {
    registry,
    attempts: (opts.retry ?? DEFAULT_RETRY).retries + 1,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    secrets: secretsOf(opts.npmrc),
    packument: null,
    credential: credentialFor(registry, opts),
  }
}

/** The registry npm would ask for this package: its scope's, else the default. */
function registryFor(parsed: ParsedSpec, base: pacote.Options): string {
  const options = base as Record<string, unknown>
  if (parsed.kind === 'registry' && parsed.name.startsWith('@')) {
    const scope = parsed.name.split('/')[0]?.toLowerCase() ?? ''
    const scoped = options[`${scope}:registry`]
    if (typeof scoped === 'string') return scoped
  }
  return String(options.registry)
}

/** The npm key of the credential npm-registry-fetch would send to `registry`, if any. */
function credentialFor(registry: string, opts: FetchOptions): string | null {
  const credentials = opts.npmrc?.credentials ?? {}
  let key: string
  try {
    const url = new URL(registry)
    key = `//${url.host}${url.pathname}`
  } catch {
    return null
  }
  // As npm-registry-fetch: the longest key that is a prefix of the URL.
  while (key.length > 2) {
    const c = credentials[key]
    if (c && (c.token || c.auth || (c.username && c.password))) return key
    key = key.replace(/([^/]+|\/)$/, '')
  }
  return null
}

function readManifest(
  contents: PackageContents,
  parsed: ParsedSpec,
): { name: string; version: string } {
  const raw = contents.files.get('package.json')
  if (!raw) {
    if (contents.incomplete) {
      throw new ReviewError(
        'ETOOLARGE',
        `${describe(parsed)}: package.json was not read because the archive hit a limit: ${contents.incomplete}`,
      )
    }
    throw new ReviewError('EMANIFEST', `${describe(parsed)}: the tarball has no package.json`)
  }
  let manifest: unknown
  try {
    // Size is bounded by maxFileBytes: it came out of readTarball.
    manifest = JSON.parse(new TextDecoder().decode(raw).replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new ReviewError(
      'EMANIFEST',
      `${describe(parsed)}: package.json is not valid JSON (${(err as Error).message})`,
      { cause: err },
    )
  }
  const { name, version } = (manifest ?? {}) as { name?: unknown; version?: unknown }
  if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') {
    throw new ReviewError(
      'EMANIFEST',
      `${describe(parsed)}: package.json has no name or no version`,
    )
  }
  return { name, version }
}

// ---------------------------------------------------------------------------
// Integrity

const ALGORITHMS = ['sha512', 'sha384', 'sha256', 'sha1'] as const // strongest first, as ssri

type Expected = Map<string, string[]>

function parseIntegrity(integrity: string, parsed: ParsedSpec): Expected {
  const byAlgorithm: Expected = new Map()
  for (const token of integrity.trim().split(/\s+/)) {
    const match = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token)
    if (!match) continue
    const [, algorithm, digest] = match as unknown as [string, string, string]
    byAlgorithm.set(algorithm, [...(byAlgorithm.get(algorithm) ?? []), digest])
  }
  if (byAlgorithm.size === 0) {
    // An unparsable value would make pacote skip the check silently.
    throw new ReviewError(
      'EINTEGRITY',
      `${describe(parsed)}: the expected integrity ${JSON.stringify(integrity.slice(0, 200))} is not an SRI hash (sha512-...)`,
    )
  }
  return byAlgorithm
}

/** Like ssri: compare with the strongest algorithm the expected value has. */
function checkIntegrity(tgz: Buffer, expected: Expected, parsed: ParsedSpec): void {
  const algorithm = ALGORITHMS.find((a) => expected.has(a)) as string
  const actual = createHash(algorithm).update(tgz).digest('base64')
  const wanted = expected.get(algorithm) ?? []
  if (!wanted.includes(actual)) {
    throw new ReviewError(
      'EINTEGRITY',
      `${describe(parsed)}: the tarball does not match the expected integrity: expected ` +
        `${wanted.map((d) => `${algorithm}-${d}`).join(' ')}, got ${algorithm}-${actual}`,
    )
  }
}
