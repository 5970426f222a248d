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
}

export interface FetchOptions {
  /** Registry base URL; defaults to npm's. */
  registry?: string
  /** pacote's cache directory (a temp dir we own, or a persisted cache). */
  cache: string
  /** Expected integrity (from a lockfile); a mismatch is EINTEGRITY. */
  integrity?: string
  limits?: ExtractLimits
}
