// What a pull request changed that we must review: package changes from every
// changed lockfile and MCP client config, and which of them are MCP-related.
// The repository arrives as injected readers (git for the CLI, the GitHub API for the action).
import { mapLimit } from '../util/concurrency.js'
import { diffLockfiles } from './changes.js'
import { isLockfilePath, parseLockfile } from './lockfiles/index.js'
import { diffServerPins, mcpConfigKey, parseMcpConfig, type ServerPin } from './mcp-configs.js'
import {
  findManifestReasons,
  findNameReasons,
  findParentReason,
  isIgnored,
  type ManifestFacts,
  type ScopeOptions,
} from './relevance.js'
import type { PackageChange } from './types.js'

export interface ChangeSource {
  /** Paths that differ between base and head. */
  listChangedPaths(): Promise<string[]>
  /** A file's text at the base / head; null when absent there. */
  readBase(path: string): Promise<string | null>
  readHead(path: string): Promise<string | null>
}

export interface Scope {
  changes: PackageChange[]
  /** Servers the head's configs start from an unpinned spec, among the changed ones. */
  unpinned: ServerPin[]
  /** The lockfiles and configs that were read. */
  files: string[]
}

export async function findChanges(source: ChangeSource): Promise<Scope> {
  const paths = (await source.listChangedPaths()).filter(
    (p) => isLockfilePath(p) || mcpConfigKey(p) !== null,
  )
  const changes: PackageChange[] = []
  const unpinned: ServerPin[] = []
  for (const path of paths) {
    const [before, after] = await Promise.all([source.readBase(path), source.readHead(path)])
    if (isLockfilePath(path)) {
      changes.push(
        ...diffLockfiles(
          before === null ? null : parseLockfile(path, before),
          after === null ? null : parseLockfile(path, after),
        ),
      )
      continue
    }
    const pinsBefore = before === null ? [] : parseMcpConfig(path, before)
    const pinsAfter = after === null ? [] : parseMcpConfig(path, after)
    const configChanges = diffServerPins(pinsBefore, pinsAfter)
    changes.push(...configChanges)
    const changed = new Set(configChanges.map((c) => c.after?.location))
    unpinned.push(...pinsAfter.filter((p) => !p.pinned && changed.has(`${p.config}#${p.server}`)))
  }
  return { changes, unpinned, files: paths }
}

export interface SelectedChange {
  change: PackageChange
  /** Why the package is considered MCP-related (one phrase each). */
  reasons: string[]
}

/** Manifest facts of `name@version` from the registry; null when it has none. */
export type FetchManifest = (name: string, version: string) => Promise<ManifestFacts | null>

const MANIFEST_CONCURRENCY = 8

/**
 * The changes to review: MCP-related by name, user glob or lockfile
 * dependencies first, then by manifest (mcpName, keywords, SDK dependencies),
 * then new packages beneath those, until nothing more is added. Removed
 * packages are not reviewed: nothing of theirs runs any more.
 */
export async function selectChanges(
  changes: PackageChange[],
  options: ScopeOptions,
  fetchManifest: FetchManifest,
): Promise<SelectedChange[]> {
  // A bundled dependency ships inside its parent's tarball and is reviewed with it.
  const candidates = changes.filter(
    (c) => c.kind !== 'removed' && !c.after?.bundled && !isIgnored(c.name, options),
  )
  const reasons = new Map<PackageChange, string[]>()
  for (const change of candidates) {
    const found = findNameReasons(change, options)
    if (found.length) reasons.set(change, found)
  }
  const unresolved = candidates.filter((c) => !reasons.has(c))
  const manifestReasons = await mapLimit(unresolved, MANIFEST_CONCURRENCY, async (change) => {
    const versions = [change.before?.version, change.after?.version].filter((v): v is string => !!v)
    const manifests = await Promise.all(versions.map((v) => fetchManifest(change.name, v)))
    return findManifestReasons(manifests.filter((m): m is ManifestFacts => m !== null))
  })
  unresolved.forEach((change, i) => {
    if (manifestReasons[i]!.length) reasons.set(change, manifestReasons[i]!)
  })
  // New dependencies of MCP packages, transitively.
  for (let grew = true; grew;) {
    grew = false
    const relevant = new Set([...reasons.keys()].map((c) => c.name))
    for (const change of candidates) {
      if (reasons.has(change)) continue
      const parent = findParentReason(change, relevant)
      if (parent) {
        reasons.set(change, [parent])
        grew = true
      }
    }
  }
  return candidates
    .filter((c) => reasons.has(c))
    .map((change) => ({ change, reasons: reasons.get(change)! }))
}
