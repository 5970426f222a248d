// A package version's manifest from the registry's package document, without
// downloading the tarball: enough to tell whether a package is MCP-related.
import pacote from 'pacote'
import type { ManifestFacts } from '../scope/relevance.js'
import { registrySpec } from '../scope/specs.js'
import { pacoteOptions } from './pacote.js'
import type { FetchOptions } from './types.js'

/** Null when the registry has no such version or cannot be reached: relevance is then decided without it. */
export async function fetchManifestFacts(
  name: string,
  version: string,
  opts: FetchOptions,
): Promise<ManifestFacts | null> {
  try {
    // pacoteOptions asks for full documents (keywords, mcpName), so the abbreviated type undersells it.
    const m = (await pacote.manifest(
      registrySpec(name, version),
      pacoteOptions(opts),
    )) as pacote.ManifestResult & ManifestFacts
    return {
      name: m.name,
      keywords: m.keywords,
      mcpName: (m as { mcpName?: unknown }).mcpName,
      dependencies: m.dependencies,
      peerDependencies: m.peerDependencies,
      optionalDependencies: m.optionalDependencies,
    }
  } catch {
    return null
  }
}
