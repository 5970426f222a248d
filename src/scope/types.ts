// What changed in a repository: installed packages per lockfile, and the changes between two commits.

export type LockfileFormat =
  'npm-v1' | 'npm-v2' | 'npm-v3' | 'yarn-classic' | 'yarn-berry' | 'pnpm-v6' | 'pnpm-v9' | 'bun'

/** One installed instance of a package, as a lockfile records it. */
export interface InstalledPackage {
  name: string
  version: string
  /** Tarball URL (or other source) the lockfile records; null when it records none. */
  resolved: string | null
  /** SRI integrity the lockfile records; null when it records none. */
  integrity: string | null
  /**
   * Where it sits, stable across commits for the same instance: the node_modules path
   * for npm (`node_modules/a/node_modules/b`), the lockfile key for the others.
   */
  location: string
  /** 1-based line of the entry in the lockfile (for annotations); null if unknown. */
  line: number | null
  /** Names of the packages that depend on this one, where the lockfile says. */
  dependents: string[]
  /** Names this package depends on, where the lockfile says. */
  dependencies: string[]
  /**
   * A package manager's own content hash, not SRI (Yarn Berry's `checksum`,
   * `<cacheKey>/<sha512 hex>`): compared between commits, never checked against a tarball.
   */
  checksum?: string
  /**
   * Shipped inside its parent's tarball (npm `inBundle` / `bundled`): what is installed
   * is the parent's copy, not the registry's tarball of this name and version.
   */
  bundled?: boolean
}

export interface Lockfile {
  /** Path in the repository, `/`-separated. */
  path: string
  format: LockfileFormat
  packages: InstalledPackage[]
}

export type ChangeKind = 'added' | 'updated' | 'removed'

/** One instance of a package that changed between two commits. */
export interface PackageChange {
  kind: ChangeKind
  name: string
  /** The old instance; null when added. */
  before: InstalledPackage | null
  /** The new instance; null when removed. */
  after: InstalledPackage | null
  /** The lockfile or MCP config the change comes from. */
  source: string
}
