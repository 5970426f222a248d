import type { Observation, Rule, VersionView } from '../types.js'
import { withValue } from '../evidence.js'
import { findHosts, suspiciousHost } from './cap-network-new-host.js'

export const rule: Rule = {
  meta: {
    id: 'threat-network-suspicious-host',
    category: 'network',
    severity: 'high',
    title: 'New raw IP, webhook, paste or tunnel destination',
    why: 'Raw IPs, chat webhooks, paste sites, request bins and tunnels are where stolen data is sent: legitimate API clients talk to named service hosts.',
    remediation: 'Do not merge until you know who receives data at this address and why.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const ref of findHosts(version)) {
      const why = suspiciousHost(ref)
      if (!why) continue
      out.push({
        key: ref.hostAndPath,
        file: ref.file,
        line: ref.line,
        message: `New destination ${ref.host} is ${why}.`,
        evidence: withValue(ref.evidence, ref.host),
      })
    }
    return out
  },
}
