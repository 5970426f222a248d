import {
  describeMissingVersion,
  normaliseRepository,
  parsePackument,
  readDependencyRecord,
  readHistory,
  readVersionMetadata,
} from '../../src/fetch/packument.js'

const context = {
  registry: 'https://registry.example/',
  fetchedAt: '2025-06-01T00:00:00.000Z',
  minReleaseAgeHours: 48,
}

const PROVENANCE = { predicateType: 'https://slsa.dev/provenance/v1' }

describe('readVersionMetadata', () => {
  const packument = parsePackument({
    name: '@acme/server',
    'dist-tags': { latest: '1.1.0' },
    time: {
      created: '2024-01-01T00:00:00.000Z',
      modified: '2025-05-01T00:00:00.000Z',
      '1.0.0': '2024-01-01T00:00:00.000Z',
      '1.1.0': '2025-05-01T00:00:00.000Z',
    },
    versions: {
      '1.0.0': {
        name: '@acme/server',
        version: '1.0.0',
        _npmUser: {
          name: 'GitHub Actions',
          trustedPublisher: { id: 'github', oidcConfigId: 'oidc:1' },
        },
        dist: { attestations: { url: 'https://registry.example/att', provenance: PROVENANCE } },
        repository: { type: 'git', url: 'git+https://github.com/Acme/Server.git' },
      },
      '1.1.0': {
        name: '@acme/server',
        version: '1.1.0',
        _npmUser: { name: 'mallory', email: 'm@example.com' },
        deprecated: 'compromised, use 1.1.1',
        repository: 'github:evil/server',
        bin: './cli.js',
        dependencies: { zod: '^3.0.0', helper: 'https://evil.example/h.tgz', bad: 42 },
        optionalDependencies: { fsevents: '^2.0.0' },
        peerDependencies: { zod: '^3.0.0 || ^4.0.0' },
      },
    },
  })

  test('reads who published, when, and how it was built', () => {
    expect(readVersionMetadata(packument, '@acme/server', '1.0.0', context)).toEqual(
      expect.objectContaining({
        publishedAt: '2024-01-01T00:00:00.000Z',
        publisher: 'GitHub Actions',
        trustedPublisher: { id: 'github' },
        provenance: {
          predicateType: PROVENANCE.predicateType,
          url: 'https://registry.example/att',
        },
        trust: 'trusted-publisher',
        repository: 'https://github.com/acme/server',
        deprecated: null,
      }),
    )
  })

  test('reads deprecation, bin, dependencies and the history of the package', () => {
    const m = readVersionMetadata(packument, '@acme/server', '1.1.0', context)
    expect(m).toEqual(
      expect.objectContaining({
        publisher: 'mallory',
        trust: 'none',
        provenance: null,
        deprecated: 'compromised, use 1.1.1',
        repository: 'https://github.com/evil/server',
        bin: { server: './cli.js' },
        dependencies: { zod: '^3.0.0', helper: 'https://evil.example/h.tgz', fsevents: '^2.0.0' },
        fetchedAt: context.fetchedAt,
        minReleaseAgeHours: 48,
      }),
    )
    expect(m?.history.map((r) => [r.version, r.publisher, r.trust])).toEqual([
      ['1.0.0', 'GitHub Actions', 'trusted-publisher'],
      ['1.1.0', 'mallory', 'none'],
    ])
  })

  test('a version the document does not list has no metadata', () => {
    expect(readVersionMetadata(packument, '@acme/server', '9.9.9', context)).toBeNull()
  })

  test('malformed fields are read as absent', () => {
    const odd = parsePackument({
      versions: { '1.0.0': { _npmUser: 'nobody', dist: 7, repository: 5, deprecated: '' } },
      time: { '1.0.0': 'not a date' },
    })
    expect(readVersionMetadata(odd, 'odd', '1.0.0', context)).toEqual(
      expect.objectContaining({
        publisher: null,
        publishedAt: null,
        repository: null,
        deprecated: null,
        trust: 'none',
      }),
    )
    expect(parsePackument('not an object')).toEqual({})
  })
})

test('a document is parsed, and its history read, once; each caller gets its own history array', () => {
  const raw = {
    versions: { '1.0.0': { version: '1.0.0' }, '1.1.0': { version: '1.1.0' } },
    time: { '1.0.0': '2024-01-01T00:00:00.000Z', '1.1.0': '2024-02-01T00:00:00.000Z' },
  }
  const packument = parsePackument(raw)
  expect(parsePackument(raw)).toBe(packument)
  const first = readHistory(packument)
  const second = readHistory(packument)
  expect(second).toEqual(first)
  expect(second).not.toBe(first)
  expect(first.map((r) => r.version)).toEqual(['1.0.0', '1.1.0'])
})

describe('readDependencyRecord', () => {
  const doc = (time: Record<string, string> | undefined, modified?: string) =>
    parsePackument({
      name: 'dep',
      versions: {},
      ...(time ? { time } : {}),
      ...(modified ? { modified } : {}),
    })

  test('reads when the package was created and last changed', () => {
    const record = readDependencyRecord(
      doc({
        created: '2024-03-01T00:00:00.000Z',
        modified: '2025-05-01T00:00:00.000Z',
        '1.0.0': '2024-03-02T00:00:00.000Z',
      }),
    )
    expect(record).toEqual({
      firstPublished: '2024-03-01T00:00:00.000Z',
      lastModified: '2025-05-01T00:00:00.000Z',
    })
  })

  test('without `created` (a mirror dropped it), the oldest version time stands in', () => {
    const record = readDependencyRecord(
      doc({
        '1.1.0': '2025-05-01T00:00:00.000Z',
        '0.0.3': '2026-03-23T17:48:24.100000+00:00',
        '0.0.1': '2024-12-07T08:11:33.198Z',
        '0.0.2': 'not a date',
      }),
    )
    expect(record.firstPublished).toBe('2024-12-07T08:11:33.198Z')
    expect(record.lastModified).toBeNull()
  })

  test('an abbreviated document has no creation time, only when it last changed', () => {
    expect(readDependencyRecord(doc(undefined, '2025-05-01T00:00:00.000Z'))).toEqual({
      firstPublished: null,
      lastModified: '2025-05-01T00:00:00.000Z',
    })
  })
})

describe('normaliseRepository', () => {
  test.each([
    ['git+https://github.com/Acme/Server.git', 'https://github.com/acme/server'],
    ['git@github.com:acme/server.git', 'https://github.com/acme/server'],
    ['git://github.com/acme/server', 'https://github.com/acme/server'],
    ['ssh://git@github.com/acme/server.git', 'https://github.com/acme/server'],
    ['github:acme/server', 'https://github.com/acme/server'],
    ['acme/server', 'https://github.com/acme/server'],
    ['https://github.com/acme/server/tree/main/packages/x', 'https://github.com/acme/server'],
    ['gitlab:group/proj', 'https://gitlab.com/group/proj'],
    ['https://git.example.com/Team/Repo.git/', 'https://git.example.com/Team/Repo'],
  ])('%s -> %s', (raw, normalised) => {
    expect(normaliseRepository(raw)).toBe(normalised)
  })
})

describe('describeMissingVersion', () => {
  test('a version the document recorded and no longer lists was removed', () => {
    const packument = parsePackument({
      time: {
        modified: '2025-09-26T10:00:00.000Z',
        '1.0.15': '2025-09-01T00:00:00.000Z',
        '1.0.16': '2025-09-17T00:00:00.000Z',
      },
      versions: { '1.0.15': {} },
    })
    expect(describeMissingVersion(packument, '1.0.16')).toBe(
      'the registry recorded 1.0.16 on 2025-09-17T00:00:00.000Z and no longer lists it: it was removed ' +
        '(the package document last changed on 2025-09-26T10:00:00.000Z)',
    )
  })

  test('a package replaced by npm’s security holding package', () => {
    const packument = parsePackument({
      time: { '0.0.1-security': '2025-09-26T00:00:00.000Z', '1.0.16': '2025-09-17T00:00:00.000Z' },
      versions: { '0.0.1-security': {} },
    })
    expect(describeMissingVersion(packument, '1.0.16')).toContain(
      'npm replaced the package with a security holding package (0.0.1-security, 2025-09-26T00:00:00.000Z)',
    )
  })

  test('a whole package unpublished', () => {
    const packument = parsePackument({
      time: { unpublished: { time: '2025-03-01T00:00:00.000Z', versions: ['1.0.0', '1.0.1'] } },
    })
    expect(describeMissingVersion(packument, '1.0.1')).toBe(
      'the whole package was unpublished on 2025-03-01T00:00:00.000Z (it had 1.0.0, 1.0.1)',
    )
  })

  test('nothing known about a version that never existed', () => {
    expect(
      describeMissingVersion(parsePackument({ versions: { '1.0.0': {} } }), '2.0.0'),
    ).toBeNull()
  })
})
