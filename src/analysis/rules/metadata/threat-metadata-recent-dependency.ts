import type { Observation, Rule, VersionView } from '../types.js'
import { DAY_MS, MANIFEST, clip, lineOfKey } from './registry-facts.js'

/** A package younger than this when the release that depends on it came out. */
const RECENT_DEPENDENCY_DAYS = 30

export const rule: Rule = {
  meta: {
    id: 'threat-metadata-recent-dependency',
    category: 'metadata',
    severity: 'medium',
    title: 'Depends on a package first published very recently',
    why: 'A compromised release often pulls its payload from a dependency published days earlier, so that the package itself looks clean.',
    remediation:
      'Review the new dependency itself (mcp-diff-review compare against nothing) before installing.',
  },
  observe(version: VersionView): Observation[] {
    const metadata = version.metadata
    if (!metadata) return []
    // Relative to the release, not to now: the age it had when it was chosen.
    const reference = Date.parse(metadata.publishedAt ?? metadata.fetchedAt)
    const out: Observation[] = []
    for (const [name, info] of Object.entries(metadata.dependencyInfo)) {
      if (!info.firstPublished) continue
      const days = (reference - Date.parse(info.firstPublished)) / DAY_MS
      if (!(days < RECENT_DEPENDENCY_DAYS)) continue
      const when =
        days < 0
          ? 'after this release'
          : `${Math.floor(days)} day${Math.floor(days) === 1 ? '' : 's'} before this release`
      out.push({
        key: `recent-dependency:${name}`,
        file: MANIFEST,
        line: lineOfKey(version.manifestText, name),
        message: `Depends on \`${clip(name, 100)}\`, first published on ${info.firstPublished.slice(0, 10)}, ${when}.`,
        evidence: `${clip(name, 100)}: created ${info.firstPublished}`,
      })
    }
    return out
  },
}
