// Where a lockfile says a package comes from. npm ci installs from `resolved`;
// we review the registry's tarball for that name and version. A `resolved`
// outside the configured registries means the two may differ: a finding.
import { METADATA_HOSTS } from '../analysis/knowledge.js'
import { isIPv4 } from '../analysis/literals.js'
import type { Finding, RuleMeta } from '../schemas.js'
import type { InstalledPackage } from './types.js'

export const FOREIGN_RESOLVED_RULE: RuleMeta = {
  id: 'threat-integrity-foreign-resolved',
  category: 'integrity',
  severity: 'high',
  title: 'Lockfile installs from outside the configured registries',
  why: 'The lockfile tells npm to download this package from somewhere other than your registry, so what gets installed may not be what the registry (and this review) has.',
  remediation:
    'Regenerate the lockfile against your registry, or find out who changed the resolved URL and why.',
}

/** Hosts that serve the same packages as registry.npmjs.org. */
const NPM_MIRRORS = new Set(['registry.npmjs.org', 'registry.yarnpkg.com', 'registry.npmjs.com'])

export function findForeignResolved(
  pkg: InstalledPackage,
  source: string,
  registries: string[],
): Finding | null {
  const where = resolvedUrl(pkg.resolved)
  if (!where) return null
  const problem = judge(where, registries)
  if (!problem) return null
  return {
    ruleId: FOREIGN_RESOLVED_RULE.id,
    category: FOREIGN_RESOLVED_RULE.category,
    severity: problem.severity,
    file: source,
    line: pkg.line,
    message: `${pkg.name}@${pkg.version} is installed from ${problem.what}, not from a configured registry.`,
    evidence: where.slice(0, 300),
    repositoryFile: true,
    subject: `resolved:${problem.host}`,
    why: FOREIGN_RESOLVED_RULE.why,
  }
}

/** The URL in `resolved` (Berry keeps it after `::__archiveUrl=`); null for registry-only notations. */
function resolvedUrl(resolved: string | null): string | null {
  if (!resolved) return null
  const archive = /::__archiveUrl=([^&\s]+)/.exec(resolved)
  if (archive) return decodeURIComponent(archive[1]!)
  return /^[a-z][a-z0-9+.-]*:/i.test(resolved) && !/^npm:/.test(resolved) ? resolved : null
}

function judge(
  where: string,
  registries: string[],
): { severity: Finding['severity']; what: string; host: string } | null {
  let url: URL
  try {
    url = new URL(where)
  } catch {
    return { severity: 'high', what: 'an unparsable location', host: 'unparsable' }
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (url.protocol === 'file:') return { severity: 'critical', what: 'a local file', host: 'file' }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      severity: 'high',
      what: `a ${url.protocol.replace(':', '')} source`,
      host: url.protocol,
    }
  }
  if (METADATA_HOSTS.has(host) || host.startsWith('169.254.') || host.startsWith('fe80:')) {
    return { severity: 'critical', what: 'a cloud-metadata or link-local address', host }
  }
  const known = registries.some((r) => sameSource(url, r))
  if (known) return null
  if (url.protocol === 'http:') return { severity: 'high', what: `plain HTTP at ${host}`, host }
  return { severity: isIPv4(host) ? 'critical' : 'high', what: `another host (${host})`, host }
}

function sameSource(url: URL, registry: string): boolean {
  try {
    const r = new URL(registry)
    const a = url.hostname.toLowerCase()
    const b = r.hostname.toLowerCase()
    if (NPM_MIRRORS.has(a) && NPM_MIRRORS.has(b)) return true
    // Tarballs are served from the registry's host (Verdaccio, Artifactory, GitHub Packages).
    return (
      a === b && url.port === r.port && (url.protocol === r.protocol || url.protocol === 'https:')
    )
  } catch {
    return false
  }
}
