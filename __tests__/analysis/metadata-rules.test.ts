// The metadata rules' severities and edges, on literal metadata.
import { buildVersionView, findNewFindings } from '../../src/analysis/index.js'
import { loadRules } from '../../src/analysis/rules/registry.js'
import type { PublishRecord, VersionMetadata } from '../../src/fetch/types.js'
import type { Finding } from '../../src/schemas.js'
import { contentsOf } from '../helpers/contents.js'
import { versionMetadata as metadata } from '../helpers/metadata.js'

const rules = loadRules()

function record(
  version: string,
  publishedAt: string,
  fields: Partial<PublishRecord> = {},
): PublishRecord {
  return { version, publishedAt, publisher: null, trust: 'none', repository: null, ...fields }
}

function findings(
  ruleId: string,
  before: VersionMetadata | null,
  after: VersionMetadata,
  manifests: { before?: object; after?: object } = {},
): Finding[] {
  const view = (m: VersionMetadata, manifest: object = { name: 'pkg', version: m.version }) =>
    buildVersionView(
      contentsOf({ 'package.json': JSON.stringify(manifest, null, 2) }),
      new Map(),
      m,
    )
  return findNewFindings(
    rules,
    before ? view(before, manifests.before) : null,
    view(after, manifests.after),
  ).filter((f) => f.ruleId === ruleId)
}

describe('threat-metadata-publisher-changed', () => {
  const id = 'threat-metadata-publisher-changed'
  const history = [
    record('1.0.0', '2024-01-01T00:00:00.000Z', { publisher: 'alice', trust: 'provenance' }),
    record('1.1.0', '2024-02-01T00:00:00.000Z', { publisher: 'bob', trust: 'provenance' }),
    record('1.2.0', '2025-05-01T00:00:00.000Z', { publisher: 'bob', trust: 'provenance' }),
    record('1.3.0', '2025-05-20T00:00:00.000Z', { publisher: 'mallory' }),
  ]
  const at = (version: string, fields: Partial<VersionMetadata> = {}) => {
    const r = history.find((h) => h.version === version)!
    return metadata(version, {
      publisher: r.publisher,
      publishedAt: r.publishedAt,
      trust: r.trust,
      history,
      ...fields,
    })
  }

  test('low for an account that has published this package for a while', () => {
    expect(findings(id, at('1.0.0'), at('1.2.0')).map((f) => f.severity)).toEqual(['low'])
  })

  test('high for a new account together with lost provenance', () => {
    const [f] = findings(id, at('1.2.0'), at('1.3.0'))
    expect(f?.severity).toBe('high')
    expect(f?.message).toContain('`mallory`, its first release of this package')
  })

  test('medium for a new account when nothing was attested', () => {
    const plain = history.map((r) => ({ ...r, trust: 'none' as const }))
    const [f] = findings(
      id,
      at('1.2.0', { history: plain, trust: 'none' }),
      at('1.3.0', { history: plain }),
    )
    expect(f?.severity).toBe('medium')
  })

  test('quiet for a package only one account ever published, even when new', () => {
    const solo = [record('1.0.0', '2024-01-01T00:00:00.000Z', { publisher: 'alice' })]
    expect(findings(id, null, metadata('1.0.0', { publisher: 'alice', history: solo }))).toEqual([])
  })
})

describe('threat-metadata-provenance-lost', () => {
  const id = 'threat-metadata-provenance-lost'
  test('medium when trusted publishing gives way to provenance alone', () => {
    const history = [
      record('1.0.0', '2025-01-01T00:00:00.000Z', { trust: 'trusted-publisher' }),
      record('1.0.1', '2025-02-01T00:00:00.000Z', { trust: 'provenance' }),
    ]
    const [f] = findings(
      id,
      metadata('1.0.0', {
        trust: 'trusted-publisher',
        publishedAt: '2025-01-01T00:00:00.000Z',
        history,
      }),
      metadata('1.0.1', { trust: 'provenance', publishedAt: '2025-02-01T00:00:00.000Z', history }),
    )
    expect(f?.severity).toBe('medium')
  })

  test('flags a new dependency whose latest release dropped the provenance earlier ones had', () => {
    const history = [
      record('1.0.0', '2025-01-01T00:00:00.000Z', { trust: 'provenance' }),
      record('1.0.1', '2025-02-01T00:00:00.000Z'),
    ]
    const after = metadata('1.0.1', { publishedAt: '2025-02-01T00:00:00.000Z', history })
    expect(findings(id, null, after)).toHaveLength(1)
  })
})

describe('threat-metadata-recent-release', () => {
  const id = 'threat-metadata-recent-release'
  test('uses the review’s min-release-age and its clock, not the machine’s', () => {
    const young = metadata('1.0.1', { publishedAt: '2025-05-31T00:00:00.000Z' }) // 24 h before fetchedAt
    expect(findings(id, null, young)).toHaveLength(1)
    expect(findings(id, null, { ...young, minReleaseAgeHours: 12 })).toEqual([])
    expect(findings(id, null, { ...young, fetchedAt: '2026-01-01T00:00:00.000Z' })).toEqual([])
  })
})

describe('threat-metadata-version-jump', () => {
  const id = 'threat-metadata-version-jump'
  const jump = (from: string, to: string) =>
    findings(
      id,
      null,
      metadata(to, {
        history: [record(from, '2025-01-01T00:00:00.000Z'), record(to, '2025-02-01T00:00:00.000Z')],
      }),
    )
  test.each([
    ['1.2.3', '1.2.30', 1],
    ['1.2.3', '1.2.20', 0],
    ['1.2.3', '1.20.0', 1],
    ['1.2.3', '1.9.0', 0],
    ['1.2.3', '4.0.0', 1],
    ['1.2.3', '3.0.0', 0],
    ['0.1.0', '9999.0.0', 1],
  ])('%s -> %s: %d finding(s)', (from, to, count) => {
    expect(jump(from, to)).toHaveLength(count)
  })
})

describe('threat-metadata-deprecated', () => {
  test('low for a rename, high for a security notice', () => {
    const id = 'threat-metadata-deprecated'
    const of = (deprecated: string) =>
      findings(id, null, metadata('1.0.1', { deprecated }))[0]?.severity
    expect(of('Moved to @acme/server')).toBe('low')
    expect(of('This version contains malware; do not install')).toBe('high')
  })
})

describe('threat-metadata-repository-changed', () => {
  const id = 'threat-metadata-repository-changed'
  test('without registry metadata, compares the manifests’ repositories, normalised', () => {
    const bare = (version: string, repository?: unknown) =>
      buildVersionView(
        contentsOf({ 'package.json': JSON.stringify({ name: 'pkg', version, repository }) }),
      )
    const run = (a: unknown, b: unknown) =>
      findNewFindings(rules, bare('1.0.0', a), bare('1.0.1', b)).filter((f) => f.ruleId === id)
    expect(run('github:acme/x', 'git+ssh://git@github.com/acme/x.git')).toEqual([])
    expect(run('github:acme/x', 'github:other/x')).toHaveLength(1)
  })

  test('a repository removed is a change', () => {
    const history = [
      record('1.0.0', '2025-01-01T00:00:00.000Z', { repository: 'https://github.com/acme/x' }),
      record('1.0.1', '2025-02-01T00:00:00.000Z'),
    ]
    const [f] = findings(
      id,
      metadata('1.0.0', { repository: 'https://github.com/acme/x', history }),
      metadata('1.0.1', { history }),
    )
    expect(f?.message).toBe('Names no repository any more.')
  })
})

describe('threat-metadata-recent-dependency', () => {
  test('measures a dependency’s age at the release, not today', () => {
    const id = 'threat-metadata-recent-dependency'
    const after = metadata('1.0.1', {
      publishedAt: '2024-03-10T00:00:00.000Z',
      fetchedAt: '2025-06-01T00:00:00.000Z',
      dependencyInfo: {
        helper: { firstPublished: '2024-03-08T00:00:00.000Z', lastModified: null },
        later: { firstPublished: '2024-04-01T00:00:00.000Z', lastModified: null },
      },
    })
    expect(findings(id, null, after).map((f) => f.message)).toEqual([
      'Depends on `helper`, first published on 2024-03-08, 2 days before this release.',
      'Depends on `later`, first published on 2024-04-01, after this release.',
    ])
  })
})
