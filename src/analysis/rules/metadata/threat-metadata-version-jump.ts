import semver from 'semver'
import type { Observation, Rule, VersionView } from '../types.js'
import { MANIFEST } from './registry-facts.js'

/**
 * How far a release may move past the one before it. Dependency confusion
 * and hijacked packages publish e.g. 99.0.0 so that every range picks them;
 * real projects skip a major now and then, rarely more.
 */
const MAX_STEP = { major: 2, minor: 10, patch: 20 }

export const rule: Rule = {
  meta: {
    id: 'threat-metadata-version-jump',
    category: 'metadata',
    severity: 'medium',
    title: 'Version number jumps far ahead',
    why: 'A version far above the previous release is how dependency-confusion and hijacked packages make every semver range install them.',
    remediation:
      'Check the project’s changelog for this release; pin the previous version until the jump is explained.',
  },
  observe(version: VersionView): Observation[] {
    const metadata = version.metadata
    const to = metadata ? semver.parse(metadata.version) : null
    if (!metadata || !to) return []
    const previous = previousRelease(
      metadata.history.map((r) => r.version),
      to,
    )
    if (!previous) return []
    const jump = describeJump(previous, to)
    if (!jump) return []
    return [
      {
        key: `jump:${previous.version}->${to.version}`,
        file: MANIFEST,
        line: null,
        message: `Version ${to.version} follows ${previous.version}: ${jump}.`,
        evidence: `${previous.version} -> ${to.version}`,
      },
    ]
  },
}

/** The highest version below `to` (releases only, unless `to` is a prerelease). */
function previousRelease(versions: string[], to: semver.SemVer): semver.SemVer | null {
  const pre = to.prerelease.length > 0
  let best: semver.SemVer | null = null
  for (const v of versions) {
    const parsed = semver.parse(v)
    if (!parsed || parsed.compare(to) >= 0 || (!pre && parsed.prerelease.length > 0)) continue
    if (!best || parsed.compare(best) > 0) best = parsed
  }
  return best
}

function describeJump(from: semver.SemVer, to: semver.SemVer): string | null {
  if (to.major - from.major > MAX_STEP.major) {
    return `${to.major - from.major - 1} major versions skipped`
  }
  if (to.major === from.major && to.minor - from.minor > MAX_STEP.minor) {
    return `${to.minor - from.minor - 1} minor versions skipped`
  }
  if (
    to.major === from.major &&
    to.minor === from.minor &&
    to.patch - from.patch > MAX_STEP.patch
  ) {
    return `${to.patch - from.patch - 1} patch versions skipped`
  }
  return null
}
