import type { Observation, Rule, VersionView } from '../types.js'
import { MANIFEST, clip } from './registry-facts.js'

/** Words of a deprecation that warns about the version itself, not about a rename. */
const SECURITY_NOTICE =
  /\b(compromised|malicious|malware|hijack\w*|security|vulnerab\w*|do not (?:use|install))\b/i

export const rule: Rule = {
  meta: {
    id: 'threat-metadata-deprecated',
    category: 'metadata',
    severity: 'low',
    title: 'Version marked deprecated',
    why: 'Maintainers and npm deprecate versions that are broken or compromised; the message says which.',
    remediation:
      'Read the deprecation message; move to the version it names, or stay where you are.',
  },
  observe(version: VersionView): Observation[] {
    const deprecated = version.metadata?.deprecated
    if (!deprecated) return []
    return [
      {
        key: `deprecated:${deprecated}`,
        file: MANIFEST,
        line: null,
        message: `The registry marks this version deprecated: "${clip(deprecated, 300)}"`,
        evidence: `deprecated: ${JSON.stringify(clip(deprecated, 300))}`,
        severity: SECURITY_NOTICE.test(deprecated) ? 'high' : 'low',
      },
    ]
  },
}
