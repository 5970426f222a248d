import type { FlowFact, SourceKind } from '../../facts.js'
import { isLocalHost, isPlaceholderHost, siteOf } from '../../literals.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { withValue } from '../evidence.js'
import { findHosts } from './cap-network-new-host.js'

const SOURCE: Record<Exclude<SourceKind, 'network'>, string> = {
  'tool-input': 'the arguments of a tool call',
  env: 'the whole environment',
  'secret-env': 'a secret from the environment',
  'secret-file': 'the contents of a credential file',
  'system-info': 'details of the machine and its user',
  intercepted: 'the requests of other code, intercepted by a replaced global',
}

/** Sources that are sensitive wherever they go, even when the destination is not constant. */
const SENSITIVE_ANYWHERE: ReadonlySet<SourceKind> = new Set(['env', 'secret-file', 'system-info'])

export const rule: Rule = {
  meta: {
    id: 'threat-network-data-exfiltration',
    category: 'network',
    severity: 'critical',
    title: 'Sends tool data or secrets to a new destination',
    why: 'Data of the tool call, the environment or credential files reaching a network call to a place the previous version never sent it is how an update steals what the agent handles.',
    remediation:
      'Do not merge until you know who receives this data and why; pin the previous version meanwhile.',
  },
  observe(version: VersionView): Observation[] {
    return observeFlows(version, null)
  },
  observeChange(before: VersionView, after: VersionView): Observation[] {
    return observeFlows(after, new Set(findHosts(before).map((h) => siteOf(h.host))))
  },
}

function observeFlows(version: VersionView, oldSites: ReadonlySet<string> | null): Observation[] {
  const out: Observation[] = []
  for (const file of version.code) {
    for (const f of file.flows) {
      const o = observeFlow(f, oldSites)
      if (o) out.push({ ...o, file: file.path })
    }
  }
  return out
}

function observeFlow(
  f: FlowFact,
  oldSites: ReadonlySet<string> | null,
): Omit<Observation, 'file'> | null {
  if (f.source === 'network' || f.sink === 'code' || f.sink === 'exec' || f.sink === 'file-write')
    return null
  if (f.host !== null && (isLocalHost(f.host) || isPlaceholderHost(f.host))) return null
  const what = SOURCE[f.source]
  const via = `(\`${f.via}\`)`
  if (f.host === null) {
    // The destination is computed: the user's own server, or config. Only secrets matter.
    if (!SENSITIVE_ANYWHERE.has(f.source)) return null
    return {
      key: `${f.source}->${f.sink}`,
      line: f.line,
      message: `Sends ${what} to a destination computed at run time ${via}.`,
      evidence: f.evidence,
      severity: 'high',
    }
  }
  const site = siteOf(f.host)
  const known = oldSites?.has(site) ?? false
  const where = f.sink === 'dns' ? `in the names of DNS lookups under ${f.host}` : `to ${f.host}`
  return {
    key: `${f.source}->${f.sink === 'dns' ? 'dns:' : ''}${site}`,
    line: f.line,
    message: known
      ? `Sends ${what} ${where}, which the previous version named but did not send this to ${via}.`
      : `Sends ${what} ${where}, a new destination ${via}.`,
    evidence: withValue(f.evidence, f.host),
    // A host the old version already used is a new use of a known service, not a new recipient.
    ...(known ? { severity: 'medium' as const } : {}),
  }
}
