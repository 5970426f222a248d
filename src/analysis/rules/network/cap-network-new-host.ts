import { EXFIL_HOST_SUFFIXES, METADATA_HOSTS } from '../../knowledge.js'
import {
  asBareHost,
  findUrls,
  isIPv4,
  isIPv6,
  isLocalHost,
  isPlaceholderHost,
} from '../../literals.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { withValue } from '../evidence.js'

export interface HostRef {
  host: string
  hostAndPath: string
  file: string
  line: number | null
  evidence: string
  target: boolean
}

/** Every host a version names in a URL or passes as a request target (documentation names aside). */
export function findHosts(version: VersionView): HostRef[] {
  const out: HostRef[] = []
  for (const file of version.code) {
    for (const s of file.strings) {
      const at = { file: file.path, line: s.line, evidence: s.evidence, target: s.target }
      for (const u of findUrls(s.value))
        if (!isPlaceholderHost(u.host))
          out.push({ host: u.host, hostAndPath: u.hostAndPath, ...at })
      const bare = s.target ? asBareHost(s.value) : null
      if (bare && !isPlaceholderHost(bare)) out.push({ host: bare, hostAndPath: bare + '/', ...at })
    }
  }
  return out
}

/** Why a host is suspicious on sight, or null. */
export function suspiciousHost(ref: Pick<HostRef, 'host' | 'hostAndPath'>): string | null {
  if (METADATA_HOSTS.has(ref.host))
    return 'a cloud metadata endpoint (serves the machine credentials)'
  if (isLocalHost(ref.host)) return null
  if (isIPv4(ref.host) || isIPv6(ref.host)) return 'a raw IP address'
  const exfil = EXFIL_HOST_SUFFIXES.find((s) => {
    const [host, ...path] = s.split('/')
    const hostMatches = ref.host === host || ref.host.endsWith('.' + host)
    return (
      hostMatches &&
      ref.hostAndPath.startsWith(ref.host + (path.length ? '/' + path.join('/') : ''))
    )
  })
  return exfil ? `a webhook, paste or tunnel service (${exfil})` : null
}

export const rule: Rule = {
  meta: {
    id: 'cap-network-new-host',
    category: 'network',
    severity: 'medium',
    title: 'New network destination',
    why: 'A host the previous version never named is a new place the server can send the data it handles.',
    remediation:
      'Check that the host belongs to the service the package is for and that it is contacted over HTTPS.',
  },
  observe(version: VersionView): Observation[] {
    return findHosts(version)
      .filter((ref) => !isLocalHost(ref.host) && !suspiciousHost(ref))
      .map((ref) => ({
        key: ref.host,
        file: ref.file,
        line: ref.line,
        message: ref.target
          ? `Sends requests to a new host: ${ref.host}.`
          : `Names a new host in a URL: ${ref.host}.`,
        evidence: withValue(ref.evidence, ref.host),
        // A URL in a message string is not a request; one passed to a network call is.
        severity: ref.target ? 'medium' : 'low',
      }))
  },
}
