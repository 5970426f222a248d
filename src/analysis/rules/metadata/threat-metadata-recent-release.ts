import type { Observation, Rule, VersionView } from '../types.js'
import { HOUR_MS, MANIFEST } from './registry-facts.js'

export const rule: Rule = {
  meta: {
    id: 'threat-metadata-recent-release',
    category: 'metadata',
    severity: 'medium',
    title: 'Released very recently',
    why: 'Most malicious versions are reported and removed from the registry within days: a version younger than the minimum release age has not had that time.',
    remediation:
      'Wait until the version is older than min-release-age (or pin the previous one), then review again.',
  },
  observe(version: VersionView): Observation[] {
    const metadata = version.metadata
    if (!metadata?.publishedAt) return []
    const hours = (Date.parse(metadata.fetchedAt) - Date.parse(metadata.publishedAt)) / HOUR_MS
    if (!(hours < metadata.minReleaseAgeHours)) return []
    const age = hours < 1 ? 'less than an hour' : `${Math.floor(hours)} hours`
    return [
      {
        // Per version: a new release is news even when the old one was young too.
        key: `recent:${metadata.version}`,
        file: MANIFEST,
        line: null,
        message: `Published ${age} ago (${metadata.publishedAt}), less than the minimum release age of ${metadata.minReleaseAgeHours} hours.`,
        evidence: `time["${metadata.version}"]: ${metadata.publishedAt}`,
      },
    ]
  },
}
