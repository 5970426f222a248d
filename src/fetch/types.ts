// What the fetch stage hands to the rest of the pipeline: a package as data.

/** A tar entry we did not extract, and why. Reported as a finding. */
export interface ArchiveIssue {
  /** The entry's path as written in the archive (untrusted). */
  entry: string
  kind: 'symlink' | 'hardlink' | 'device' | 'absolute-path' | 'parent-traversal' | 'other-type'
  detail: string
}

/** Bounds applied while reading an archive. */
export interface ExtractLimits {
  /** Total decompressed bytes of the archive (tar headers included). */
  maxTotalBytes: number
  maxFiles: number
  maxFileBytes: number
  /** Number of path segments after the first component is stripped. */
  maxPathDepth: number
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxTotalBytes: 256 * 1024 * 1024,
  maxFiles: 20_000,
  maxFileBytes: 32 * 1024 * 1024,
  maxPathDepth: 32,
}

/** A package's files, in memory, keyed by path without the first component. */
export interface PackageContents {
  files: Map<string, Uint8Array>
  archiveIssues: ArchiveIssue[]
  /** Set when a limit cut the read short: the package was not fully reviewed. */
  incomplete: string | null
}

export interface FetchedPackage {
  /** The spec as the user gave it (untrusted when it comes from a PR). */
  spec: string
  name: string
  version: string
  /** Where the tarball came from (URL or file path). */
  resolved: string
  /** The SSRI integrity of the tarball bytes we reviewed. */
  integrity: string
  contents: PackageContents
  /**
   * What the registry says about this version; null for a file or URL spec
   * (no package document). fetchPackage always sets it; optional so that
   * packages built in tests need not.
   */
  metadata?: VersionMetadata | null
}

/** The side of a review a version is on: the one in use, or the update. */
export type ReviewSide = 'from' | 'to'

export interface FetchOptions {
  /** Registry base URL; overrides `registry=` of `npmrc`; defaults to npm's. */
  registry?: string
  /** Scoped registries and credentials, as npm reads them from `.npmrc` (see parseNpmrc). */
  npmrc?: RegistryConfig
  /**
   * pacote's cache directory: a temp dir we own, or a directory kept across
   * runs (tarballs are stored by integrity, package documents revalidated).
   */
  cache: string
  /** Expected integrity (from a lockfile); a mismatch is EINTEGRITY. */
  integrity?: string
  limits?: ExtractLimits
  /** Per-request timeout in ms (no answer, or no data for this long); default 30 s. */
  timeoutMs?: number
  /** Retries of 5xx, 408/429, resets and timeouts, with exponential backoff. */
  retry?: RetryOptions
  /** The review's clock, for release ages; defaults to when the package is fetched. */
  now?: Date
  /** Releases younger than this are flagged (the `min-release-age` input); default 48. */
  minReleaseAgeHours?: number
  /** How many dependencies' package documents to read for their age; 0 turns it off. */
  maxDependencyLookups?: number
  /**
   * The other version of the review (a spec of the same package) and the side
   * this one is on: dependency ages that cannot change a finding are not
   * looked up (see findDependenciesToLookUp).
   */
  pairedWith?: { spec: string; side: ReviewSide }
  /** Shared across calls of one run so each package document is asked for once. */
  packumentCache?: Map<string, unknown>
  /**
   * Called with the files once the tarball is verified and read, before the
   * registry metadata is complete: the analysis starts while the dependency
   * documents download.
   */
  onContents?: (contents: PackageContents) => void
}

export interface RetryOptions {
  retries: number
  minTimeoutMs: number
  maxTimeoutMs: number
}

/**
 * Registries and credentials as npm has them: `registry=`, `@scope:registry=`,
 * and per-registry settings keyed by npm's "nerf dart" (`//host[:port]/path/`),
 * so a credential is only sent to the registry it was configured for.
 */
export interface RegistryConfig {
  /** `registry=`: the default registry, when set. */
  registry: string | null
  /** `@scope:registry=`: scope (with its `@`) to registry URL. */
  scopes: Record<string, string>
  /** `//host/path/:_authToken=` and friends, keyed by `//host/path/`. */
  credentials: Record<string, RegistryCredential>
  /** Lines that were ignored or could not be used, for a log line (never with a secret). */
  warnings: string[]
}

export interface RegistryCredential {
  /** `:_authToken`: sent as `Authorization: Bearer`. */
  token?: string
  /** `:_auth`: base64 `user:password`, sent as `Authorization: Basic`. */
  auth?: string
  /** `:username` with `:_password` (base64, as npm stores it). */
  username?: string
  password?: string
  /** `:always-auth`: kept for compatibility; npm >= 7 sends credentials whenever they match. */
  alwaysAuth?: boolean
}

// ---------------------------------------------------------------------------
// Registry metadata of one version (from the package document, "packument")

/** Strongest first: how the registry vouches for where a version was built. */
export const TRUST_LEVELS = ['trusted-publisher', 'provenance', 'none'] as const
export type TrustLevel = (typeof TRUST_LEVELS)[number]

/**
 * What the registry's attestation document (`dist.attestations.url`) says of
 * the tarball we reviewed:
 * - `verified-subject`: every in-toto statement names `pkg:npm/<name>@<version>`
 *   with the sha512 of our tarball. The statement's subject only: its Sigstore
 *   signature and certificate chain are NOT verified (see fetch/attestations.ts);
 * - `mismatch`: a statement names another digest, package or version;
 * - `unavailable`: the version lists attestations, but the document could not
 *   be fetched, read or fully checked (404, malformed, over a bound);
 * - `absent`: the version lists no provenance attestation (whether it should
 *   have one is threat-metadata-provenance-lost's question).
 */
export const ATTESTATION_STATUSES = [
  'verified-subject',
  'mismatch',
  'unavailable',
  'absent',
] as const
export type AttestationStatus = (typeof ATTESTATION_STATUSES)[number]

export interface AttestationCheck {
  status: AttestationStatus
  /** One sentence saying what was found (parts from the document are untrusted; no credentials). */
  detail: string
  /** Where the document was asked for (the package's registry, without credentials); null when not asked. */
  url: string | null
}

/** One version of the package as the package document lists it. */
export interface PublishRecord {
  version: string
  /** `time[version]`; null when the document has none. */
  publishedAt: string | null
  /** `_npmUser.name`: the account that published it. */
  publisher: string | null
  trust: TrustLevel
  /** `repository`, normalised as VersionMetadata.repository. */
  repository: string | null
}

/** What the registry knows of a dependency's package, for its age. */
export interface DependencyRecord {
  /** `time.created`, when it was read. */
  firstPublished: string | null
  /** `modified`: when firstPublished is null the package is at least this old. */
  lastModified: string | null
  /** Why nothing is known (`E404`, `ETIMEDOUT`, `not checked`). */
  error?: string
}

export interface VersionMetadata {
  name: string
  version: string
  /** The registry the document came from (without credentials). */
  registry: string
  /** When we asked the registry (or FetchOptions.now): the rules' "now". */
  fetchedAt: string
  /** The review's policy, carried with the data so rules stay pure. */
  minReleaseAgeHours: number
  publishedAt: string | null
  publisher: string | null
  /** `dist.attestations` with an SLSA provenance predicate. */
  provenance: { predicateType: string; url: string | null } | null
  /**
   * Whether the subject of the registry's attestation document names this
   * tarball (fetch/attestations.ts). Subject only: the Sigstore signatures
   * are not verified. Set by fetchPackage; absent in metadata built without a
   * registry (tests, fixtures), which reads as not checked.
   */
  attestation?: AttestationCheck
  /** `_npmUser.trustedPublisher`: published by OIDC trusted publishing (e.g. GitHub Actions). */
  trustedPublisher: { id: string } | null
  trust: TrustLevel
  deprecated: string | null
  /** `repository`, normalised (https URL, no `git+`, no `.git`, lower-case host). */
  repository: string | null
  /** `bin`, as an object (a string bin is named after the package). */
  bin: Record<string, string>
  /** dependencies, optionalDependencies and peerDependencies: name to spec, as the registry serves them. */
  dependencies: Record<string, string>
  /** Every version the document still lists, oldest publish first. */
  history: PublishRecord[]
  /** Dependencies (registry specs) by name, as far as they were looked up. */
  dependencyInfo: Record<string, DependencyRecord>
}
