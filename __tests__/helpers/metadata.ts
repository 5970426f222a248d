// A version's registry metadata with every field at a neutral default, for
// tests that set only the fields they look at.
import type { VersionMetadata } from '../../src/fetch/types.js'

export function versionMetadata(
  version: string,
  fields: Partial<VersionMetadata> = {},
): VersionMetadata {
  return {
    name: 'pkg',
    version,
    registry: 'https://registry.example/',
    fetchedAt: '2025-06-01T00:00:00.000Z',
    minReleaseAgeHours: 48,
    publishedAt: null,
    publisher: null,
    provenance: null,
    trustedPublisher: null,
    trust: 'none',
    deprecated: null,
    repository: null,
    bin: {},
    dependencies: {},
    history: [],
    dependencyInfo: {},
    ...fields,
  }
}
