// One run's fetching: the options every registry call shares (registry, .npmrc
// credentials, cache, clock, package documents asked once), as the functions
// the pipeline takes.
import { readRegistryConfig, secretsOf, withRegistryToken, type Env } from './npmrc.js'
import { fetchManifestFacts } from './manifest.js'
import { DEFAULT_REGISTRY, fetchPackage } from './pacote.js'
import type { FetchOptions } from './types.js'
import type { FetchPackage } from '../review.js'
import type { FetchManifest } from '../scope/index.js'

export interface SessionSettings {
  /** The registry the user named (flag or input); else `.npmrc`'s, else npm's. */
  registry?: string
  /** A token for that registry only (the `registry-token` input). */
  registryToken?: string
  minReleaseAgeHours?: number
  /** Where `.npmrc` is looked for (the repository), besides the user config. */
  projectDir: string
  env: Env
}

export interface FetchSession {
  options: FetchOptions
  /** Every credential configured: to be masked in logs (`core.setSecret`). */
  secrets: string[]
  /** Problems reading `.npmrc` (never contain secrets). */
  warnings: string[]
  fetchPackage: FetchPackage
  fetchManifest: FetchManifest
  /** Every registry packages may come from: the default and the scoped ones. */
  registries: string[]
}

export async function createFetchSession(
  settings: SessionSettings,
  cache: string,
): Promise<FetchSession> {
  let npmrc = await readRegistryConfig(settings.projectDir, settings.env)
  if (settings.registryToken) {
    npmrc = withRegistryToken(
      npmrc,
      settings.registry ?? npmrc.registry ?? DEFAULT_REGISTRY,
      settings.registryToken,
    )
  }
  const options: FetchOptions = {
    cache,
    npmrc,
    now: new Date(),
    packumentCache: new Map(),
    ...(settings.registry ? { registry: settings.registry } : {}),
    ...(settings.minReleaseAgeHours !== undefined
      ? { minReleaseAgeHours: settings.minReleaseAgeHours }
      : {}),
  }
  return {
    options,
    secrets: [...secretsOf(npmrc), ...(settings.registryToken ? [settings.registryToken] : [])],
    warnings: npmrc.warnings,
    registries: [
      settings.registry ?? npmrc.registry ?? DEFAULT_REGISTRY,
      ...Object.values(npmrc.scopes),
    ],
    fetchPackage: (spec, request = {}) => fetchPackage(spec, { ...options, ...request }),
    fetchManifest: (name, version) => fetchManifestFacts(name, version, options),
  }
}
