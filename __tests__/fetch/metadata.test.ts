// The registry metadata of a version, read from a real registry (Verdaccio),
// and every metadata rule over two versions published there with the fields
// set: a positive and a negative pair each.
//
// Verdaccio stores what is PUT (`_npmUser` with `trustedPublisher`,
// `dist.attestations`, `deprecated`, `repository`, `bin`, dependencies) but
// sets `time` itself on publish: publish dates are written into its storage
// afterwards (editPackument), as they would read on npm's registry.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildVersionView, findNewFindings } from '../../src/analysis/index.js'
import { loadRules } from '../../src/analysis/rules/registry.js'
import { fetchPackage } from '../../src/fetch/pacote.js'
import type { FetchedPackage, FetchOptions } from '../../src/fetch/types.js'
import type { Finding } from '../../src/schemas.js'
import { packFiles } from '../helpers/pack.js'
import { startRegistry, type TestRegistry } from '../helpers/verdaccio.js'

let registry: TestRegistry
let cache: string
const rules = loadRules()

const PROVENANCE = {
  attestations: {
    url: 'https://registry.example/-/npm/v1/attestations/x',
    provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
  },
}
const TRUSTED = {
  name: 'GitHub Actions',
  trustedPublisher: { id: 'github', oidcConfigId: 'oidc:1' },
}

interface Release {
  version: string
  /** Publish time written into the registry; omitted: Verdaccio's (now). */
  time?: string
  /** Registry-only fields (`_npmUser`, `dist`, `deprecated`) and package.json fields. */
  fields?: Record<string, unknown>
}

/** Registry-only fields: in the version document, not in the tarball's package.json. */
const REGISTRY_ONLY = new Set(['_npmUser', 'dist', 'deprecated'])

async function publishAll(name: string, releases: Release[], created?: string): Promise<void> {
  for (const { version, fields = {} } of releases) {
    const manifest = { name, version, ...fields }
    const packageJson = Object.fromEntries(
      Object.entries(manifest).filter(([key]) => !REGISTRY_ONLY.has(key)),
    )
    await registry.publish(
      manifest,
      packFiles({ 'package.json': JSON.stringify(packageJson, null, 2), 'index.js': '1\n' }),
    )
  }
  await registry.editPackument(name, (doc) => {
    const time = doc.time as Record<string, string>
    for (const { version, time: at } of releases) if (at) time[version] = at
    if (created) time.created = created
  })
}

beforeAll(async () => {
  registry = await startRegistry()
  cache = await mkdtemp(join(tmpdir(), 'metadata-test-'))
  const old = (version: string, fields?: Record<string, unknown>): Release => ({
    version,
    time: version === '1.0.0' ? '2024-01-10T00:00:00.000Z' : '2024-06-01T00:00:00.000Z',
    ...(fields ? { fields } : {}),
  })
  const late = (version: string, fields?: Record<string, unknown>): Release => ({
    version,
    time: '2025-05-01T00:00:00.000Z',
    ...(fields ? { fields } : {}),
  })
  const alice = { _npmUser: { name: 'alice', email: 'alice@example.com' } }
  await publishAll('prov-lost', [
    old('1.0.0', { dist: PROVENANCE, ...alice }),
    late('1.0.1', alice),
  ])
  await publishAll('prov-kept', [
    old('1.0.0', { dist: PROVENANCE, ...alice }),
    late('1.0.1', { dist: PROVENANCE, ...alice }),
  ])
  await publishAll('tp-lost', [old('1.0.0', { _npmUser: TRUSTED }), late('1.0.1', alice)])
  await publishAll('pub-changed', [
    old('1.0.0', alice),
    late('1.0.1', { _npmUser: { name: 'mallory', email: 'm@example.com' } }),
  ])
  await publishAll('pub-turns', [
    old('1.0.0', alice),
    old('1.0.1', { _npmUser: { name: 'bob', email: 'bob@example.com' } }),
    late('1.0.2', alice),
  ])
  await publishAll('fresh-release', [old('1.0.0'), { version: '1.0.1' }])
  await publishAll('repo-moved', [
    old('1.0.0', { repository: 'github:acme/server' }),
    late('1.0.1', { repository: { type: 'git', url: 'git+https://github.com/evil/server.git' } }),
  ])
  await publishAll('repo-respelled', [
    old('1.0.0', { repository: { type: 'git', url: 'git+https://github.com/Acme/Server.git' } }),
    late('1.0.1', { repository: 'git@github.com:acme/server.git' }),
  ])
  await publishAll('bin-added', [old('1.0.0'), late('1.0.1', { bin: { git: 'index.js' } })])
  await publishAll('bin-kept', [
    old('1.0.0', { bin: 'index.js' }),
    late('1.0.1', { bin: { 'bin-kept': 'index.js' } }),
  ])
  await publishAll('jumpy', [old('1.0.0'), late('99.0.0')])
  await publishAll('steady', [old('1.0.0'), late('1.1.0')])
  await publishAll('deprecated-now', [
    old('1.0.0'),
    late('1.0.1', { deprecated: 'compromised account, use 1.0.2' }),
  ])
  await publishAll('not-deprecated', [old('1.0.0'), late('1.0.1')])
  await publishAll('old-helper', [old('1.0.0')], '2020-01-01T00:00:00.000Z')
  await publishAll('fresh-helper', [{ version: '1.0.0' }])
  await publishAll('url-dep', [
    old('1.0.0'),
    late('1.0.1', { dependencies: { helper: 'https://evil.example/helper-1.0.0.tgz' } }),
  ])
  await publishAll('registry-dep', [
    old('1.0.0'),
    late('1.0.1', { dependencies: { 'old-helper': '^1.0.0' } }),
  ])
  await publishAll('uses-fresh', [
    old('1.0.0'),
    { version: '1.0.1', fields: { dependencies: { 'fresh-helper': '^1.0.0' } } },
  ])
  await publishAll('uses-missing', [
    old('1.0.0', {
      dependencies: { 'no-such-dep': '^1.0.0', helper: 'https://evil.example/h-1.0.0.tgz' },
    }),
  ])
  await publishAll('keeps-fresh', [
    late('1.0.0', { dependencies: { 'fresh-helper': '^1.0.0' } }),
    { version: '1.0.1', fields: { dependencies: { 'fresh-helper': '^1.0.0' } } },
  ])
  // More dependencies than the lookup bound (50), and a fresh one added last.
  const many = Object.fromEntries(
    Array.from({ length: 55 }, (_, i) => [`absent-dep-${i}`, '^1.0.0']),
  )
  await publishAll('many-deps', [
    old('1.0.0', { dependencies: many }),
    { version: '1.0.1', fields: { dependencies: { ...many, 'fresh-helper': '^1.0.0' } } },
  ])
  await publishAll('adds-missing', [
    old('1.0.0'),
    late('1.0.1', { dependencies: { 'no-such-dep': '^1.0.0' } }),
  ])
  await publishAll('uses-old', [
    old('1.0.0'),
    late('1.0.1', { dependencies: { 'old-helper': '^1.0.0' } }),
  ])
}, 30_000)

afterAll(async () => {
  await registry?.stop()
  if (cache) await rm(cache, { recursive: true, force: true })
})

function options(now = new Date()): FetchOptions {
  return { registry: registry.url, cache, now }
}

/** The findings of `ruleId` for name@from -> name@to, metadata as fetched. */
async function review(
  name: string,
  from: string,
  to: string,
  ruleId: string,
  now?: Date,
): Promise<Finding[]> {
  const [before, after] = await Promise.all([
    fetchPackage(`${name}@${from}`, options(now)),
    fetchPackage(`${name}@${to}`, options(now)),
  ])
  const view = (p: FetchedPackage) => buildVersionView(p.contents, new Map(), p.metadata ?? null)
  return findNewFindings(rules, view(before), view(after)).filter((f) => f.ruleId === ruleId)
}

describe('metadata of a fetched version', () => {
  test('reads publisher, publish time, provenance and history from the registry', async () => {
    const now = new Date('2025-06-01T00:00:00.000Z')
    const pkg = await fetchPackage('prov-lost@1.0.0', options(now))
    expect(pkg.metadata).toEqual(
      expect.objectContaining({
        name: 'prov-lost',
        version: '1.0.0',
        registry: registry.url,
        fetchedAt: '2025-06-01T00:00:00.000Z',
        minReleaseAgeHours: 48,
        publishedAt: '2024-01-10T00:00:00.000Z',
        publisher: 'alice',
        provenance: {
          predicateType: 'https://slsa.dev/provenance/v1',
          url: PROVENANCE.attestations.url,
        },
        trust: 'provenance',
      }),
    )
    expect(pkg.metadata?.history.map((r) => [r.version, r.trust])).toEqual([
      ['1.0.0', 'provenance'],
      ['1.0.1', 'none'],
    ])
  })

  test('reads trusted publishing, and the age of each dependency', async () => {
    const tp = await fetchPackage('tp-lost@1.0.0', options())
    expect(tp.metadata?.trustedPublisher).toEqual({ id: 'github' })
    const uses = await fetchPackage('uses-old@1.0.1', options())
    expect(uses.metadata?.dependencies).toEqual({ 'old-helper': '^1.0.0' })
    expect(uses.metadata?.dependencyInfo['old-helper']?.firstPublished).toBe(
      '2020-01-01T00:00:00.000Z',
    )
  })

  test('a dependency the registry does not have is unknown; a URL one is not looked up', async () => {
    const pkg = await fetchPackage('uses-missing@1.0.0', options())
    expect(pkg.metadata?.dependencyInfo).toEqual({
      'no-such-dep': { firstPublished: null, lastModified: null, error: 'E404' },
    })
  })

  test('a local tarball has no registry metadata', async () => {
    const path = join(cache, 'local-1.0.0.tgz')
    await writeFile(path, packFiles({ 'package.json': '{"name":"local","version":"1.0.0"}' }))
    expect((await fetchPackage(path, options())).metadata).toBeNull()
  })
})

describe('dependency ages of a pair of versions (pairedWith)', () => {
  /**
   * Both versions fetched as a review fetches them, each told of the other;
   * with the integrities a lockfile recorded, as in a pull request.
   */
  async function fetchPair(name: string, from: string, to: string, integrity?: [string, string]) {
    const spec = (v: string) => `${name}@${v}`
    const recorded = (i: 0 | 1) => (integrity ? { integrity: integrity[i] } : {})
    return Promise.all([
      fetchPackage(spec(from), {
        ...options(),
        ...recorded(0),
        pairedWith: { spec: spec(to), side: 'from' },
      }),
      fetchPackage(spec(to), {
        ...options(),
        ...recorded(1),
        pairedWith: { spec: spec(from), side: 'to' },
      }),
    ])
  }
  const looked = (p: FetchedPackage) => Object.keys(p.metadata?.dependencyInfo ?? {})
  const view = (p: FetchedPackage) => buildVersionView(p.contents, new Map(), p.metadata ?? null)
  const recent = (before: FetchedPackage, after: FetchedPackage) =>
    findNewFindings(rules, view(before), view(after))
      .filter((f) => f.ruleId === 'threat-metadata-recent-dependency')
      .map((f) => f.message)

  test('a dependency the update adds is looked up, and still flagged', async () => {
    const [before, after] = await fetchPair('uses-fresh', '1.0.0', '1.0.1')
    expect([looked(before), looked(after)]).toEqual([[], ['fresh-helper']])
    expect(recent(before, after)).toEqual([expect.stringContaining('`fresh-helper`')])
  })

  test('a dependency both versions have is not looked up, and the result is unchanged', async () => {
    const [before, after] = await fetchPair('keeps-fresh', '1.0.0', '1.0.1')
    expect([looked(before), looked(after)]).toEqual([[], []])
    expect(recent(before, after)).toEqual([])
    // Unpaired, both are looked up, and the old version's cancels the new one's.
    const [b, a] = await Promise.all([
      fetchPackage('keeps-fresh@1.0.0', options()),
      fetchPackage('keeps-fresh@1.0.1', options()),
    ])
    expect([looked(b), looked(a)]).toEqual([['fresh-helper'], ['fresh-helper']])
    expect(recent(b, a)).toEqual([])
  })

  test('with the integrity a lockfile recorded for each version, the same', async () => {
    const [b, a] = await fetchPair('keeps-fresh', '1.0.0', '1.0.1')
    const [before, after] = await fetchPair('keeps-fresh', '1.0.0', '1.0.1', [
      b.integrity,
      a.integrity,
    ])
    expect([before.integrity, after.integrity]).toEqual([b.integrity, a.integrity])
    expect([looked(before), looked(after)]).toEqual([[], []])
  })

  test('a dependency added to a long list is looked up, where the bound used to leave it out', async () => {
    const [before, after] = await fetchPair('many-deps', '1.0.0', '1.0.1')
    expect([looked(before), looked(after)]).toEqual([[], ['fresh-helper']])
    expect(after.metadata?.dependencyInfo['fresh-helper']?.firstPublished).not.toBeNull()
    expect(recent(before, after)).toEqual([expect.stringContaining('`fresh-helper`')])
    // Unpaired, the 56th dependency is past the bound of 50.
    const alone = await fetchPackage('many-deps@1.0.1', options())
    expect(alone.metadata?.dependencyInfo['fresh-helper']).toEqual({
      firstPublished: null,
      lastModified: null,
      error: 'not checked (too many dependencies)',
    })
  })

  test('a downgrade looks every dependency up on both sides', async () => {
    const [before, after] = await fetchPair('keeps-fresh', '1.0.1', '1.0.0')
    expect([looked(before), looked(after)]).toEqual([['fresh-helper'], ['fresh-helper']])
  })

  test('a pair of another package, or a version not listed, changes nothing', async () => {
    const other = await fetchPackage('uses-fresh@1.0.1', {
      ...options(),
      pairedWith: { spec: 'keeps-fresh@1.0.0', side: 'to' },
    })
    const missing = await fetchPackage('uses-fresh@1.0.1', {
      ...options(),
      pairedWith: { spec: 'uses-fresh@9.9.9', side: 'to' },
    })
    expect([looked(other), looked(missing)]).toEqual([['fresh-helper'], ['fresh-helper']])
  })
})

describe('metadata rules against a real registry', () => {
  test.each([
    ['threat-metadata-provenance-lost', 'prov-lost', 'prov-kept', 'high'],
    ['threat-metadata-publisher-changed', 'pub-changed', 'pub-turns', 'medium'],
    ['threat-metadata-repository-changed', 'repo-moved', 'repo-respelled', 'medium'],
    ['cap-metadata-new-bin', 'bin-added', 'bin-kept', 'high'],
    ['threat-metadata-version-jump', 'jumpy', 'steady', 'medium'],
    ['threat-metadata-deprecated', 'deprecated-now', 'not-deprecated', 'high'],
    ['threat-metadata-url-dependency', 'url-dep', 'registry-dep', 'high'],
    ['threat-metadata-recent-dependency', 'uses-fresh', 'uses-old', 'medium'],
    ['cap-metadata-unchecked-dependency', 'adds-missing', 'uses-old', 'low'],
  ])('%s flags %s and not %s', async (ruleId, positive, negative, severity) => {
    const versions = async (name: string): Promise<[string, string]> => {
      const res = await fetch(`${registry.url}${name}`)
      const doc = (await res.json()) as { versions: Record<string, unknown> }
      const list = Object.keys(doc.versions)
      return [list[0] as string, list[list.length - 1] as string]
    }
    const flagged = await review(positive, ...(await versions(positive)), ruleId)
    expect(flagged.map((f) => f.severity)).toEqual([severity])
    expect(await review(negative, ...(await versions(negative)), ruleId)).toEqual([])
  })

  test('threat-metadata-publisher-changed is high together with lost trusted publishing', async () => {
    const flagged = await review('tp-lost', '1.0.0', '1.0.1', 'threat-metadata-publisher-changed')
    expect(flagged.map((f) => f.severity)).toEqual(['high'])
  })

  test('threat-metadata-recent-release flags a release younger than min-release-age, not older', async () => {
    const id = 'threat-metadata-recent-release'
    expect(await review('fresh-release', '1.0.0', '1.0.1', id)).toHaveLength(1)
    const later = new Date(Date.now() + 72 * 3600 * 1000)
    expect(await review('fresh-release', '1.0.0', '1.0.1', id, later)).toEqual([])
  })
})
