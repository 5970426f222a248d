import type { Observation, Rule, VersionView } from '../types.js'
import { MANIFEST, clip } from './registry-facts.js'

// What fetch/attestations.ts found in the registry's attestation document.
// It compares the in-toto statement's subject (package and sha512) with the
// tarball reviewed; it does not verify the Sigstore signature chain (that
// needs Sigstore's trust root, which is not fetched). A version without any
// attestation is threat-metadata-provenance-lost's finding, not this one's.
export const rule: Rule = {
  meta: {
    id: 'threat-metadata-attestation-mismatch',
    category: 'metadata',
    severity: 'critical',
    title: 'Provenance attestation names another tarball',
    why: 'The provenance attestation records the sha512 of the tarball CI built; a tarball with another hash, or an attestation for another package or version, means the bytes served are not the ones that were attested (this compares the attestation’s subject, not its Sigstore signature).',
    remediation:
      'Do not install this version; fetch it from registry.npmjs.org and run npm audit signatures, and report the registry or mirror that served it.',
  },
  observe(version: VersionView): Observation[] {
    const metadata = version.metadata
    const check = metadata?.attestation
    if (!metadata || !check) return []
    const where = check.url ? ` (${clip(check.url, 200)})` : ''
    switch (check.status) {
      case 'mismatch':
        return [
          {
            // Per version: each version's attestation is about its own tarball.
            key: `attestation-mismatch:${metadata.version}`,
            file: MANIFEST,
            line: null,
            message: `The registry's attestation does not name the tarball reviewed. ${clip(check.detail, 500)}`,
            evidence: `dist.attestations${where}: subject mismatch`,
          },
        ]
      case 'unavailable':
        return [
          {
            // Not per version: a registry that does not serve attestations (a
            // mirror copying npm's documents) fails the same for the old one.
            key: 'attestation-unavailable',
            file: MANIFEST,
            line: null,
            message: `The version lists a provenance attestation whose subject could not be checked. ${clip(check.detail, 500)}`,
            evidence: `dist.attestations${where}: unavailable`,
            severity: 'low',
          },
        ]
      case 'verified-subject':
      case 'absent':
        return []
    }
  },
}
