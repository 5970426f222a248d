import npa from 'npm-package-arg'
import type { Observation, Rule, VersionView } from '../types.js'
import { MANIFEST, clip, dependenciesOf, lineOfKey } from './registry-facts.js'

/** npm-package-arg types that npm fetches from outside the registry. */
const OUTSIDE_REGISTRY: Record<string, string> = {
  remote: 'a tarball URL',
  git: 'a git repository',
  file: 'a local file',
  directory: 'a local directory',
}

export const rule: Rule = {
  meta: {
    id: 'threat-metadata-url-dependency',
    category: 'metadata',
    severity: 'high',
    title: 'Dependency fetched from a URL, git or a file',
    why: 'A dependency given as a URL or git spec is downloaded at install time from wherever it points, with no registry integrity and out of every lockfile review.',
    remediation:
      'Ask for a registry version of the dependency; do not install this version until then.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    // The registry's manifest (what npm resolves) and the tarball's can differ.
    const specs = [
      ...Object.entries(version.metadata?.dependencies ?? {}),
      ...Object.entries(dependenciesOf(version.manifest)),
    ]
    const seen = new Set<string>()
    for (const [name, spec] of specs) {
      const key = `dependency:${name}=${spec}`
      if (seen.has(key)) continue
      seen.add(key)
      const kind = outsideRegistry(name, spec)
      if (!kind) continue
      out.push({
        key,
        file: MANIFEST,
        line: lineOfKey(version.manifestText, name),
        message: `Depends on \`${clip(name, 100)}\` from ${kind}: ${clip(spec)}`,
        evidence: `${JSON.stringify(clip(name, 100))}: ${JSON.stringify(clip(spec))}`,
      })
    }
    return out
  },
}

function outsideRegistry(name: string, spec: string): string | null {
  try {
    const parsed = npa.resolve(name, spec, '/')
    const target = parsed.type === 'alias' ? (parsed as npa.AliasResult).subSpec : parsed
    return OUTSIDE_REGISTRY[target.type] ?? null
  } catch {
    return null // npm cannot install it either
  }
}
