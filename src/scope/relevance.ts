// Which changed packages are MCP-related, and why. Pure: the manifests arrive as data.
import picomatch from 'picomatch'
import { MCP_KEYWORDS, MCP_SCOPES, MCP_SDKS } from './mcp-knowledge.js'
import type { PackageChange } from './types.js'

/** The manifest fields relevance looks at (from the tarball or the packument). */
export interface ManifestFacts {
  name?: string
  keywords?: unknown
  mcpName?: unknown
  dependencies?: unknown
  peerDependencies?: unknown
  optionalDependencies?: unknown
}

export interface ScopeOptions {
  /** `mcp`: only MCP-related packages; `all`: every changed package. */
  scope: 'mcp' | 'all'
  /** Globs of package names always reviewed. */
  packages: string[]
  /** Globs of package names never reviewed (wins over everything). */
  ignorePackages: string[]
}

/** `mcp` as a word or segment: mcp-foo, foo-mcp, foo.mcp, @x/mcp, mcp_server, fooMCP is not. */
const MCP_WORD = /(?:^|[^a-z0-9])mcp(?:$|[^a-z0-9])/

/** Reasons found without any manifest: name, user globs, lockfile dependencies. */
export function findNameReasons(change: PackageChange, options: ScopeOptions): string[] {
  const reasons: string[] = []
  const name = change.name
  if (options.scope === 'all') reasons.push('scope: all reviews every changed package')
  const glob = options.packages.find((g) => picomatch.isMatch(name, g))
  if (glob) reasons.push(`matches the packages pattern ${glob}`)
  const scope = name.startsWith('@') ? name.split('/')[0]! : null
  if (scope && MCP_SCOPES.has(scope)) reasons.push(`is in the ${scope} scope`)
  else if (MCP_WORD.test(name.toLowerCase())) reasons.push('its name marks it as an MCP package')
  const deps = [...(change.after?.dependencies ?? []), ...(change.before?.dependencies ?? [])]
  const sdk = deps.find((d) => MCP_SDKS.has(d))
  if (sdk) reasons.push(`depends on ${sdk}`)
  return reasons
}

/** Reasons found in the package's manifests (old and new). */
export function findManifestReasons(manifests: ManifestFacts[]): string[] {
  const reasons = new Set<string>()
  for (const m of manifests) {
    if (typeof m.mcpName === 'string' && m.mcpName) reasons.add(`declares mcpName ${m.mcpName}`)
    const keywords = Array.isArray(m.keywords) ? m.keywords : []
    const keyword = keywords.find(
      (k): k is string => typeof k === 'string' && MCP_KEYWORDS.has(k.toLowerCase()),
    )
    if (keyword) reasons.add(`has the keyword ${keyword}`)
    for (const field of [m.dependencies, m.peerDependencies, m.optionalDependencies]) {
      if (!field || typeof field !== 'object') continue
      const sdk = Object.keys(field).find((d) => MCP_SDKS.has(d))
      if (sdk) reasons.add(`depends on ${sdk}`)
    }
  }
  return [...reasons]
}

export function isIgnored(name: string, options: ScopeOptions): boolean {
  return options.ignorePackages.some((g) => picomatch.isMatch(name, g))
}

/**
 * A package newly added beneath an MCP package is reviewed too: a new
 * transitive dependency is how event-stream was attacked.
 */
export function findParentReason(
  change: PackageChange,
  relevantNames: ReadonlySet<string>,
): string | null {
  if (change.kind !== 'added' || !change.after) return null
  const parent = change.after.dependents.find((d) => relevantNames.has(d))
  return parent ? `newly added as a dependency of ${parent}` : null
}
