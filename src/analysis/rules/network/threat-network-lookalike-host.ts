import { lookalikeOf } from '../../hosts.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { withValue } from '../evidence.js'
import { findHosts } from './cap-network-new-host.js'

export const rule: Rule = {
  meta: {
    id: 'threat-network-lookalike-host',
    category: 'network',
    severity: 'high',
    title: 'New host that imitates one the previous version used',
    why: 'A host one or two letters away from a known one, or spelled with look-alike characters, passes a quick review while sending the data to someone else.',
    remediation:
      'Compare the host letter by letter with the service\u2019s documented one; do not merge until they match.',
  },
  // Without an old version there is nothing to imitate.
  observe(): Observation[] {
    return []
  },
  observeChange(before: VersionView, after: VersionView): Observation[] {
    const oldHosts = new Set(findHosts(before).map((h) => h.host))
    const out: Observation[] = []
    for (const ref of findHosts(after)) {
      const original = lookalikeOf(ref.host, oldHosts)
      if (!original) continue
      out.push({
        key: ref.host,
        file: ref.file,
        line: ref.line,
        message: `New host ${ref.host} looks like ${original}, which the previous version used.`,
        evidence: withValue(ref.evidence, ref.host),
      })
    }
    return out
  },
}
