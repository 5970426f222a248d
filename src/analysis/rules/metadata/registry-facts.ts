// Helpers shared by the metadata rules: what came before a version in its
// package's history, and how old things are. Pure: "now" is the time the
// registry was asked (VersionMetadata.fetchedAt), never the clock.
import {
  TRUST_LEVELS,
  type PublishRecord,
  type TrustLevel,
  type VersionMetadata,
} from '../../../fetch/types.js'
import type { Manifest } from '../../../schemas.js'
export { lineOfKey } from '../../lines.js'

export const HOUR_MS = 3600 * 1000
export const DAY_MS = 24 * HOUR_MS

/** Every metadata finding points at the manifest: the registry serves it as the version's package.json. */
export const MANIFEST = 'package.json'

/** Versions the document lists as published before this one (not this one). */
export function publishedBefore(metadata: VersionMetadata): PublishRecord[] {
  const at = metadata.publishedAt ? Date.parse(metadata.publishedAt) : Infinity
  return metadata.history.filter(
    (r) =>
      r.version !== metadata.version && r.publishedAt !== null && Date.parse(r.publishedAt) < at,
  )
}

/** The strongest trust among `records`, with the latest version that had it. */
export function strongestTrust(records: PublishRecord[]): {
  trust: TrustLevel
  record: PublishRecord | null
} {
  let best: { trust: TrustLevel; record: PublishRecord | null } = { trust: 'none', record: null }
  for (const r of records) {
    if (TRUST_LEVELS.indexOf(r.trust) <= TRUST_LEVELS.indexOf(best.trust) && r.trust !== 'none') {
      best = { trust: r.trust, record: r }
    }
  }
  return best
}

/**
 * A trust level below the strongest one of an earlier version: published
 * without the provenance or trusted publishing the package had before. Null
 * when this version is as trusted as anything before it.
 */
export function trustDowngrade(
  metadata: VersionMetadata,
): { from: TrustLevel; record: PublishRecord } | null {
  const best = strongestTrust(publishedBefore(metadata))
  if (!best.record) return null
  if (TRUST_LEVELS.indexOf(metadata.trust) <= TRUST_LEVELS.indexOf(best.trust)) return null
  return { from: best.trust, record: best.record }
}

export function trustLabel(trust: TrustLevel): string {
  switch (trust) {
    case 'trusted-publisher':
      return 'trusted publishing (OIDC)'
    case 'provenance':
      return 'a provenance attestation'
    case 'none':
      return 'neither provenance nor trusted publishing'
  }
}

/** A `bin` field as npm normalises it: a string is named after the package. */
export function binsOf(manifest: Manifest | null): Record<string, string> {
  const bin = manifest?.bin
  if (typeof bin === 'string' && typeof manifest?.name === 'string') {
    return { [manifest.name.replace(/^@[^/]+\//, '')]: bin }
  }
  return stringEntries(bin)
}

/** The installed dependency fields of a manifest: name to spec. */
export function dependenciesOf(manifest: Manifest | null): Record<string, string> {
  return {
    ...stringEntries(manifest?.peerDependencies),
    ...stringEntries(manifest?.optionalDependencies),
    ...stringEntries(manifest?.dependencies),
  }
}

function stringEntries(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {}
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>
}

/** Untrusted text in a message: one line, bounded. */
export function clip(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? line.slice(0, max) + '…' : line
}
