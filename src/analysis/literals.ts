// Finding addresses, URLs and hosts inside strings, in linear time: these run
// over attacker text, so no backtracking regular expression sees a long input.

import ianaTlds from 'tlds' with { type: 'json' }

const LOCAL_CHARS = /[A-Za-z0-9._%+-]/
const DOMAIN_CHARS = /[A-Za-z0-9.-]/
const MAX_LOCAL = 64
const MAX_DOMAIN = 253

/** Email addresses in a string (lower-cased). */
export function findEmails(s: string): string[] {
  const out: string[] = []
  let at = s.indexOf('@')
  while (at !== -1) {
    let start = at
    while (start > 0 && at - start < MAX_LOCAL && LOCAL_CHARS.test(s[start - 1]!)) start--
    let end = at + 1
    while (end < s.length && end - at <= MAX_DOMAIN && DOMAIN_CHARS.test(s[end]!)) end++
    const local = s.slice(start, at)
    const domain = s.slice(at + 1, end).replace(/[.-]+$/, '')
    if (local && isDomain(domain)) out.push(`${local}@${domain}`.toLowerCase())
    at = s.indexOf('@', at + 1)
  }
  return out
}

function isDomain(d: string): boolean {
  const labels = d.split('.')
  if (labels.length < 2) return false
  const tld = labels[labels.length - 1]!
  return /^[A-Za-z]{2,24}$/.test(tld) && labels.every((l) => l.length > 0 && l.length <= 63)
}

export interface UrlRef {
  /** Lower-cased host name or IP, without port. */
  host: string
  /** `host/path` prefix, for matching webhook endpoints by path. */
  hostAndPath: string
  url: string
}

const SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp'])
const MAX_URL = 2048

/** URLs with a network scheme in a string. */
export function findUrls(s: string): UrlRef[] {
  const out: UrlRef[] = []
  let mark = s.indexOf('://')
  while (mark !== -1) {
    let start = mark
    while (start > 0 && mark - start < 6 && /[A-Za-z]/.test(s[start - 1]!)) start--
    const scheme = s.slice(start, mark).toLowerCase()
    if (SCHEMES.has(scheme)) {
      let end = mark + 3
      while (end < s.length && end - start < MAX_URL && !/[\s"'`<>\\{}|^]/.test(s[end]!)) end++
      const ref = toUrlRef(s.slice(start, end))
      if (ref) out.push(ref)
    }
    mark = s.indexOf('://', mark + 3)
  }
  return out
}

function toUrlRef(text: string): UrlRef | null {
  try {
    const u = new URL(text)
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase()
    if (!host) return null
    return { host, hostAndPath: host + u.pathname.toLowerCase(), url: text }
  } catch {
    return null
  }
}

/**
 * Top-level domains that exist (IANA's list, from the `tlds` package), and the
 * special-use names a request can still reach (RFC 6761, RFC 6762, RFC 7686).
 * `.example` is reserved too; our fixtures use it for an attacker's domain.
 */
const TOP_LEVEL_DOMAINS: ReadonlySet<string> = new Set([
  ...ianaTlds,
  'localhost',
  'local',
  'internal',
  'onion',
  'example',
])

/**
 * A bare host name or IP given on its own (a `host:` option, `net.connect(port, host)`).
 * Without a scheme, a name is a host only under a top-level domain that exists:
 * `Target.getTargets` or `config.json` is not one, `evil.example.co` is.
 */
export function asBareHost(s: string): string | null {
  const t = s.trim().toLowerCase()
  if (t.length === 0 || t.length > MAX_DOMAIN) return null
  if (isIPv4(t)) return t
  if (!/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(t)) return null
  const tld = t.slice(t.lastIndexOf('.') + 1)
  return TOP_LEVEL_DOMAINS.has(tld) || tld.startsWith('xn--') ? t : null
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.')
  return (
    parts.length === 4 &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && String(Number(p)) === p)
  )
}

export function isIPv6(s: string): boolean {
  return s.includes(':') && /^[0-9a-f:.]+$/i.test(s)
}

/**
 * Names reserved for documentation and tests (RFC 2606, RFC 6761): example.com,
 * example.net, example.org and the .test and .invalid domains never reach anyone.
 * (The `.example` top-level domain is reserved too, but our fixtures use it to
 * stand for an attacker's domain, so it stays a destination here.)
 */
export function isPlaceholderHost(host: string): boolean {
  for (const name of ['example.com', 'example.net', 'example.org'])
    if (host === name || host.endsWith('.' + name)) return true
  return host.endsWith('.test') || host.endsWith('.invalid')
}

/** Loopback, unspecified, documentation and private ranges: not somewhere data leaves to. */
export function isLocalHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '::')
    return true
  if (!isIPv4(host)) return false
  const [a, b] = host.split('.').map(Number) as [number, number]
  return (
    a === 127 ||
    a === 0 ||
    a === 10 ||
    (a === 192 && b === 168) ||
    (a === 172 && b >= 16 && b <= 31)
  )
}

/**
 * The credential paths named in a string, at a path boundary: `.npmrc` in
 * `~/.npmrc` or as a path segment, not in `my.npmrc.example`; names without a
 * dot (`Login Data`) only as a whole segment. Linear: one indexOf scan per path.
 */
export function findCredentialPaths(value: string, paths: readonly string[]): string[] {
  if (value.length > 4096) return []
  const v = value.replace(/\\/g, '/')
  return paths.filter((path) => containsPath(v, path))
}

export function findCredentialPath(value: string, paths: readonly string[]): string | null {
  return findCredentialPaths(value, paths)[0] ?? null
}

function containsPath(value: string, path: string): boolean {
  for (let at = value.indexOf(path); at !== -1; at = value.indexOf(path, at + 1)) {
    const before = at === 0 ? '' : value[at - 1]!
    const after = value[at + path.length] ?? ''
    const startOk = path.startsWith('.')
      ? ['', '/', '~', ' '].includes(before)
      : ['', '/'].includes(before)
    const endOk = path.endsWith('/') || ['', '/', ' ', '"', "'", '\u2026'].includes(after)
    if (startOk && endOk) return true
  }
  return false
}

/** Second-level labels under which a country code registers names (co.uk, com.au). */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go'])

/**
 * The registrable part of a host name (`api.postmarkapp.com` -> `postmarkapp.com`,
 * `a.b.co.uk` -> `b.co.uk`), an approximation of the public suffix list; an IP
 * is its own site.
 */
export function siteOf(host: string): string {
  if (isIPv4(host) || isIPv6(host)) return host
  const labels = host.split('.')
  if (labels.length <= 2) return host
  const tld = labels[labels.length - 1]!
  const second = labels[labels.length - 2]!
  const take = tld.length === 2 && SECOND_LEVEL.has(second) ? 3 : 2
  return labels.slice(-take).join('.')
}
