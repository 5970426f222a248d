import type { Observation, Rule, VersionView } from '../types.js'
import { MANIFEST, trustDowngrade, trustLabel } from './registry-facts.js'

export const rule: Rule = {
  meta: {
    id: 'threat-metadata-provenance-lost',
    category: 'metadata',
    severity: 'high',
    title: 'Published without the provenance earlier versions had',
    why: 'A version built by CI carries a signed provenance attestation or comes from trusted publishing; one published without it, after versions that had it, was likely published from a stolen token on someone’s machine.',
    remediation:
      'Ask the maintainers how this version was published; stay on the attested version until it is explained.',
  },
  observe(version: VersionView): Observation[] {
    const metadata = version.metadata
    if (!metadata) return []
    const downgrade = trustDowngrade(metadata)
    if (!downgrade) return []
    const { record } = downgrade
    return [
      {
        // The same downgrade in the old version is already accepted.
        key: `trust:${metadata.trust}<${downgrade.from}`,
        file: MANIFEST,
        line: null,
        message:
          `Published with ${trustLabel(metadata.trust)}, while ${record.version}` +
          `${record.publishedAt ? ` (${record.publishedAt.slice(0, 10)})` : ''} had ${trustLabel(downgrade.from)}.`,
        evidence: `trust: ${metadata.trust}; earlier: ${downgrade.from} (${record.version})`,
        // Losing OIDC but keeping provenance is still a build on CI.
        severity: metadata.trust === 'provenance' ? 'medium' : 'high',
      },
    ]
  },
}
