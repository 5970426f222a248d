import type { Observation, Rule, VersionView } from '../types.js'
import { MANIFEST, clip, lineOfKey } from './registry-facts.js'

export const rule: Rule = {
  meta: {
    id: 'cap-metadata-unchecked-dependency',
    category: 'metadata',
    severity: 'low',
    title: 'Dependency whose age could not be checked',
    why: 'The recent-dependency check reads the package document of each new dependency; when it cannot (not on the registry, an error, past the lookup bound), a dependency published days ago would pass unnoticed.',
    remediation:
      'Look the dependency up by hand (`npm view <name> time.created`) before installing this version.',
  },
  observe(version: VersionView): Observation[] {
    const info = version.metadata?.dependencyInfo ?? {}
    return Object.entries(info)
      .filter(([, record]) => record.error !== undefined)
      .map(([name, record]) => ({
        key: `unchecked-dependency:${name}`,
        file: MANIFEST,
        line: lineOfKey(version.manifestText, name),
        message: `Could not check when \`${clip(name, 100)}\` was first published: ${clip(record.error ?? '', 100)}.`,
        evidence: `${clip(name, 100)}: ${clip(record.error ?? '', 100)}`,
      }))
  },
}
