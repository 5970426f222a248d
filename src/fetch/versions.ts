// Which versions to compare when the user names only the new one (workflow_dispatch).
import semver from 'semver'
import { ReviewError } from '../errors.js'
import { registrySpec } from '../scope/specs.js'
import { fetchPackumentOnce } from './documents.js'
import { errorContext, pacoteOptions } from './pacote.js'
import { toReviewError } from './registry-errors.js'
import { parseSpec } from './spec.js'
import type { FetchOptions } from './types.js'

export interface VersionPair {
  /** Null for a package's first release: it is reviewed against nothing. */
  from: string | null
  to: string
}

/**
 * Resolves `to` (a version, range or dist-tag) against the registry, and
 * `from` to the version given, or else the highest version below `to` (of the
 * same release channel: prereleases only when `to` is one), or null for a first release.
 */
export async function resolveVersionPair(
  name: string,
  to: string,
  from: string | undefined,
  opts: FetchOptions,
): Promise<VersionPair> {
  registrySpec(name, to)
  const base = pacoteOptions(opts)
  const parsed = parseSpec(`${name}@${to}`)
  const packument = await fetchPackumentOnce(name, base).catch((err: unknown) => {
    // The same classification and scrubbing as a package fetch: the raw
    // message can carry a registry URL with its credentials.
    const reason = toReviewError(err, parsed, errorContext(parsed, base, opts))
    throw new ReviewError(reason.code, `cannot read the versions of ${name}: ${reason.message}`, {
      cause: err,
    })
  })
  const versions = Object.keys(packument.versions ?? {})
  const toVersion = packument['dist-tags']?.[to] ?? semver.maxSatisfying(versions, to)
  if (!toVersion) {
    throw new ReviewError(
      'EUNPUBLISHED',
      `${name}@${to} is not in the registry; known dist-tags: ${Object.keys(packument['dist-tags'] ?? {}).join(', ') || 'none'}`,
    )
  }
  return { from: from ?? previousVersion(versions, toVersion), to: toVersion }
}

export function previousVersion(versions: string[], to: string): string | null {
  const pre = semver.prerelease(to) !== null
  const below = versions
    .filter((v) => semver.valid(v) && semver.lt(v, to) && (pre || semver.prerelease(v) === null))
    .sort(semver.rcompare)
  return below[0] ?? null
}
