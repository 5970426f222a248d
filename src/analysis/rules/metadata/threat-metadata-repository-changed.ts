import { normaliseRepository } from '../../../fetch/packument.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { MANIFEST, clip, lineOfKey } from './registry-facts.js'

export const rule: Rule = {
  meta: {
    id: 'threat-metadata-repository-changed',
    category: 'metadata',
    severity: 'medium',
    title: 'Repository URL changed',
    why: 'A package that suddenly points to another repository may have changed hands, or points reviewers at source that is not what was published.',
    remediation:
      'Check that the new repository belongs to the same maintainers and that the release is built from it.',
  },
  observe(version: VersionView): Observation[] {
    const metadata = version.metadata
    const fromManifest = repositoryField(version.manifest?.repository)
    const repository = metadata ? metadata.repository : fromManifest
    // Both versions read the same document: when every version names the
    // same repository nothing changed, and a new package stays quiet.
    if (metadata && new Set(metadata.history.map((r) => r.repository)).size < 2) return []
    if (!metadata && repository === null) return []
    return [
      {
        key: `repository:${repository ?? 'none'}`,
        file: MANIFEST,
        line: lineOfKey(version.manifestText, 'repository'),
        message: repository
          ? `Names the repository ${clip(repository)}.`
          : 'Names no repository any more.',
        evidence: `repository: ${clip(repository ?? '(none)')}`,
      },
    ]
  },
}

function repositoryField(value: unknown): string | null {
  const url =
    typeof value === 'string'
      ? value
      : value && typeof value === 'object'
        ? (value as { url?: unknown }).url
        : undefined
  return typeof url === 'string' ? normaliseRepository(url) : null
}
