import type { Observation, Rule, VersionView } from '../types.js'
import { DAY_MS, MANIFEST, clip, publishedBefore, trustDowngrade } from './registry-facts.js'

/** An account that published this package at least this long ago is one of its maintainers. */
const ESTABLISHED_DAYS = 30

export const rule: Rule = {
  meta: {
    id: 'threat-metadata-publisher-changed',
    category: 'metadata',
    severity: 'medium',
    title: 'Published by a different npm account',
    why: 'Hijacked packages are often published by a new account (a maintainer added by social engineering) or lose their CI provenance at the same time.',
    remediation:
      'Check that the account is a known maintainer (npm owner ls) and that the release is announced in the project’s repository.',
  },
  observe(version: VersionView): Observation[] {
    const metadata = version.metadata
    if (!metadata?.publisher) return []
    // Both versions read the same document: a package only ever published by
    // one account has nothing to compare, and stays quiet even when new.
    const accounts = new Set(metadata.history.map((r) => r.publisher).filter((p) => p !== null))
    if (accounts.size < 2) return []
    const publisher = metadata.publisher
    const at = metadata.publishedAt
      ? Date.parse(metadata.publishedAt)
      : Date.parse(metadata.fetchedAt)
    const own = publishedBefore(metadata).filter((r) => r.publisher === publisher)
    const first = own[0]?.publishedAt ?? null
    const established = first !== null && at - Date.parse(first) >= ESTABLISHED_DAYS * DAY_MS
    const downgrade = trustDowngrade(metadata)
    return [
      {
        key: `publisher:${publisher}`,
        file: MANIFEST,
        line: null,
        message:
          `Published by the npm account \`${clip(publisher, 100)}\`` +
          (first
            ? `, which first published this package on ${first.slice(0, 10)}`
            : ', its first release of this package') +
          (downgrade ? ', and without the provenance earlier versions had' : '') +
          `; ${accounts.size} accounts have published this package.`,
        evidence: `_npmUser: ${clip(publisher, 100)}`,
        // With lost provenance this is the shape of a stolen account; an
        // account that has published here for a while is a co-maintainer.
        severity: downgrade ? 'high' : established ? 'low' : 'medium',
      },
    ]
  },
}
