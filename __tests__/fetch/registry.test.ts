// fetchPackage against a real registry (Verdaccio on 127.0.0.1).
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isReviewError, type ErrorCode } from '../../src/errors.js'
import { fetchPackage } from '../../src/fetch/pacote.js'
import { resolveVersionPair } from '../../src/fetch/versions.js'
import { DEFAULT_LIMITS } from '../../src/fetch/types.js'
import { packFiles } from '../helpers/pack.js'
import {
  startProxy,
  startRegistry,
  type ProxyAction,
  type Published,
  type SeenRequest,
  type TestProxy,
  type TestRegistry,
} from '../helpers/verdaccio.js'

const manifest = (name: string, version: string) => ({ name, version, main: 'index.js' })

function demoTarball(name: string, version: string): Buffer {
  return packFiles({
    'package.json': JSON.stringify(manifest(name, version)),
    'index.js': `module.exports = ${JSON.stringify(version)}\n`,
  })
}

async function rejection(promise: Promise<unknown>): Promise<{ code: ErrorCode; message: string }> {
  try {
    await promise
  } catch (err) {
    if (isReviewError(err)) return { code: err.code, message: err.message }
    throw err
  }
  throw new Error('expected a ReviewError')
}

let registry: TestRegistry
let cache: string
let workDir: string
const published: Record<string, Published> = {}

beforeAll(async () => {
  registry = await startRegistry()
  cache = await mkdtemp(join(tmpdir(), 'registry-test-cache-'))
  workDir = await mkdtemp(join(tmpdir(), 'registry-test-'))
  for (const version of ['1.0.0', '1.1.0']) {
    published[version] = await registry.publish(
      manifest('mcp-demo', version),
      demoTarball('mcp-demo', version),
    )
  }
  published['scoped'] = await registry.publish(
    manifest('@acme/mcp-tool', '0.1.0'),
    demoTarball('@acme/mcp-tool', '0.1.0'),
  )
  published['no-manifest'] = await registry.publish(
    manifest('no-manifest', '1.0.0'),
    packFiles({ 'index.js': 'x' }),
  )
  published['big'] = await registry.publish(
    manifest('big-random', '1.0.0'),
    packFiles({
      'package.json': JSON.stringify(manifest('big-random', '1.0.0')),
      'blob.bin': randomBytes(256 * 1024),
    }),
  )
  published['bad-json'] = await registry.publish(
    manifest('bad-json', '1.0.0'),
    packFiles({ 'package.json': '{ "name": "bad-json", ' }),
  )
  for (const [name, version] of [
    ['mcp-gone', '1.0.0'],
    ['mcp-gone', '1.0.1'],
    ['mcp-held', '0.0.1-security'],
    ['mcp-unpublished', '1.0.0'],
    ['mcp-tampered', '1.0.0'],
    ['mcp-flaky', '1.0.0'],
  ] as const) {
    published[`${name}@${version}`] = await registry.publish(
      manifest(name, version),
      demoTarball(name, version),
    )
  }
}, 30_000)

afterAll(async () => {
  await registry?.stop()
  if (cache) await rm(cache, { recursive: true, force: true })
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

describe('fetchPackage from a registry', () => {
  test('fetches name@version, with its files, integrity and tarball URL', async () => {
    const pkg = await fetchPackage('mcp-demo@1.0.0', { registry: registry.url, cache })
    expect(pkg).toEqual(
      expect.objectContaining({
        spec: 'mcp-demo@1.0.0',
        name: 'mcp-demo',
        version: '1.0.0',
        resolved: published['1.0.0']?.tarball,
        integrity: published['1.0.0']?.integrity,
      }),
    )
    expect(Buffer.from(pkg.contents.files.get('index.js') ?? []).toString()).toContain('"1.0.0"')
    expect(pkg.contents.archiveIssues).toEqual([])
    expect(pkg.contents.incomplete).toBeNull()
  })

  test('fetches name@latest', async () => {
    const pkg = await fetchPackage('mcp-demo@latest', { registry: registry.url, cache })
    expect(pkg.version).toBe('1.1.0')
  })

  test('fetches a scoped package', async () => {
    const pkg = await fetchPackage('@acme/mcp-tool@0.1.0', { registry: registry.url, cache })
    expect(pkg.name).toBe('@acme/mcp-tool')
  })

  test('accepts a matching integrity', async () => {
    const integrity = published['1.1.0']?.integrity
    const pkg = await fetchPackage('mcp-demo@1.1.0', { registry: registry.url, cache, integrity })
    expect(pkg.integrity).toBe(integrity)
  })

  test('refuses a mismatching integrity with EINTEGRITY, saying expected and actual', async () => {
    const wrong = 'sha512-' + createHash('sha512').update('something else').digest('base64')
    const err = await rejection(
      fetchPackage('mcp-demo@1.1.0', { registry: registry.url, cache, integrity: wrong }),
    )
    expect(err.code).toBe('EINTEGRITY')
    expect(err.message).toContain(wrong)
    expect(err.message).toContain(published['1.1.0']?.integrity)
  })

  test('refuses an integrity value that is not an SRI hash', async () => {
    const err = await rejection(
      fetchPackage('mcp-demo@1.1.0', { registry: registry.url, cache, integrity: 'not-a-hash' }),
    )
    expect(err.code).toBe('EINTEGRITY')
  })

  test('a version the registry does not have is EUNPUBLISHED, naming package and version', async () => {
    const err = await rejection(fetchPackage('mcp-demo@9.9.9', { registry: registry.url, cache }))
    expect(err.code).toBe('EUNPUBLISHED')
    expect(err.message).toMatch(/^mcp-demo@9\.9\.9 is not in http:\/\/127\.0\.0\.1:\d+\//)
    expect(err.message).toContain('unpublished')
    expect(err.message).toContain('latest is 1.1.0')
  })

  test('a package the registry does not have is EUNPUBLISHED, with the 404', async () => {
    const err = await rejection(
      fetchPackage('no-such-package@1.0.0', { registry: registry.url, cache }),
    )
    expect(err.code).toBe('EUNPUBLISHED')
    expect(err.message).toMatch(/^no-such-package@1\.0\.0 is not in http:\/\/127\.0\.0\.1:\d+\//)
    expect(err.message).toContain('404')
  })

  test('never echoes credentials from the registry URL', async () => {
    const withAuth = registry.url.replace('http://', 'http://someone:hunter2-secret@')
    const err = await rejection(
      fetchPackage('no-such-package@1.0.0', { registry: withAuth, cache }),
    )
    expect(err.message).not.toContain('hunter2')
  })

  test('a tarball without package.json is EMANIFEST', async () => {
    const err = await rejection(
      fetchPackage('no-manifest@1.0.0', { registry: registry.url, cache }),
    )
    expect(err.code).toBe('EMANIFEST')
  })

  test('a package.json that is not JSON is EMANIFEST', async () => {
    const err = await rejection(fetchPackage('bad-json@1.0.0', { registry: registry.url, cache }))
    expect(err.code).toBe('EMANIFEST')
    expect(err.message).toContain('not valid JSON')
  })

  test('a tarball larger than maxTotalBytes is ETOOLARGE, not downloaded further', async () => {
    const limits = { ...DEFAULT_LIMITS, maxTotalBytes: 64 * 1024 }
    const err = await rejection(
      fetchPackage('big-random@1.0.0', { registry: registry.url, cache, limits }),
    )
    expect(err.code).toBe('ETOOLARGE')
    expect(err.message).toMatch(
      /tarball of big-random@1\.0\.0 is larger than \d+ bytes \(maxTotalBytes\)/,
    )
  })

  test('a package cut short by maxTotalBytes before its package.json is ETOOLARGE', async () => {
    const limits = { ...DEFAULT_LIMITS, maxTotalBytes: 16 }
    const err = await rejection(
      fetchPackage('mcp-demo@1.0.0', { registry: registry.url, cache, limits }),
    )
    expect(err.code).toBe('ETOOLARGE')
    expect(err.message).toContain('package.json was not read')
  })

  test('an unreachable registry is EFETCH', async () => {
    const port = await closedPort()
    const err = await rejection(
      fetchPackage('mcp-demo@1.0.0', { registry: `http://127.0.0.1:${port}/`, cache }),
    )
    expect(err.code).toBe('EFETCH')
    expect(err.message).toContain('ECONNREFUSED')
    expect(err.message).toContain('(tried 3 times)')
  })
})

describe('versions the registry no longer has', () => {
  test('a version unpublished through the registry API is EUNPUBLISHED', async () => {
    await registry.unpublishVersion('mcp-gone', '1.0.1')
    const err = await rejection(fetchPackage('mcp-gone@1.0.1', { registry: registry.url, cache }))
    expect(err.code).toBe('EUNPUBLISHED')
    expect(err.message).toMatch(/^mcp-gone@1\.0\.1 is not in http:\/\/127\.0\.0\.1:\d+\//)
    expect(err.message).toContain('latest is 1.0.0')
  })

  test('says when it was recorded and that it was removed, when the document still dates it', async () => {
    // Verdaccio drops time[version] on unpublish; npm's registry keeps it.
    await registry.editPackument('mcp-gone', (doc) => {
      const time = doc.time as Record<string, string>
      time['1.0.1'] = '2025-09-17T10:00:00.000Z'
      time.modified = '2025-09-26T12:00:00.000Z'
    })
    const err = await rejection(fetchPackage('mcp-gone@1.0.1', { registry: registry.url, cache }))
    expect(err.code).toBe('EUNPUBLISHED')
    expect(err.message).toContain(
      'the registry recorded 1.0.1 on 2025-09-17T10:00:00.000Z and no longer lists it: it was removed ' +
        '(the package document last changed on 2025-09-26T12:00:00.000Z)',
    )
  })

  test('a package npm replaced by a security holding package says so', async () => {
    await registry.editPackument('mcp-held', (doc) => {
      ;(doc.time as Record<string, string>)['1.0.16'] = '2025-09-17T10:00:00.000Z'
    })
    const err = await rejection(fetchPackage('mcp-held@1.0.16', { registry: registry.url, cache }))
    expect(err.code).toBe('EUNPUBLISHED')
    expect(err.message).toContain('security holding package (0.0.1-security')
    expect(err.message).toContain('removed for malicious code')
  })

  test('a whole package unpublished says when', async () => {
    await registry.editPackument('mcp-unpublished', (doc) => {
      doc.versions = {}
      doc['dist-tags'] = {}
      doc.time = { unpublished: { time: '2025-03-01T00:00:00.000Z', versions: ['1.0.0'] } }
    })
    const err = await rejection(
      fetchPackage('mcp-unpublished@1.0.0', { registry: registry.url, cache }),
    )
    expect(err.code).toBe('EUNPUBLISHED')
    expect(err.message).toContain('the whole package was unpublished on 2025-03-01T00:00:00.000Z')
  })

  test('a listed version whose tarball is gone is EUNPUBLISHED', async () => {
    const proxy = await startProxy(registry.url, (req) =>
      isTarball(req) ? { status: 404 } : 'pass',
    )
    try {
      const err = await rejection(
        fetchPackage('mcp-gone@1.0.0', { registry: proxy.url, cache: await freshCache() }),
      )
      expect(err.code).toBe('EUNPUBLISHED')
      expect(err.message).toContain('for its tarball')
    } finally {
      await proxy.stop()
    }
  })
})

describe('one request per package document and run', () => {
  test('two versions fetched at once share one request for the package document', async () => {
    const proxy = await startProxy(registry.url)
    try {
      const opts = { registry: proxy.url, cache: await freshCache(), packumentCache: new Map() }
      const [a, b] = await Promise.all([
        fetchPackage('mcp-demo@1.0.0', opts),
        fetchPackage('mcp-demo@1.1.0', opts),
      ])
      expect([a.version, b.version]).toEqual(['1.0.0', '1.1.0'])
      const documents = proxy.requests.filter((r) => !isTarball(r))
      expect(documents.map((r) => r.url)).toEqual(['/mcp-demo'])
      expect(proxy.requests.filter(isTarball)).toHaveLength(2)
    } finally {
      await proxy.stop()
    }
  })

  test('separate runs (no shared cache) each ask', async () => {
    const proxy = await startProxy(registry.url)
    try {
      const cacheDir = await freshCache()
      await Promise.all([
        fetchPackage('mcp-demo@1.0.0', { registry: proxy.url, cache: cacheDir }),
        fetchPackage('mcp-demo@1.1.0', { registry: proxy.url, cache: cacheDir }),
      ])
      expect(proxy.requests.filter((r) => !isTarball(r))).toHaveLength(2)
    } finally {
      await proxy.stop()
    }
  })
})

describe('integrity against the registry', () => {
  test("a tarball that does not match the registry's dist.integrity is EINTEGRITY", async () => {
    const other = 'sha512-' + createHash('sha512').update('another tarball').digest('base64')
    await registry.editPackument('mcp-tampered', (doc) => {
      const versions = doc.versions as Record<string, { dist: { integrity: string } }>
      ;(versions['1.0.0'] as { dist: { integrity: string } }).dist.integrity = other
    })
    const err = await rejection(
      fetchPackage('mcp-tampered@1.0.0', { registry: registry.url, cache: await freshCache() }),
    )
    expect(err.code).toBe('EINTEGRITY')
    expect(err.message).toContain(other)
  })
})

describe('retries and timeouts', () => {
  const fast = { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 20 }
  let proxy: TestProxy | null = null
  afterEach(async () => {
    await proxy?.stop()
    proxy = null
  })

  /** A proxy that applies `actions` to the first requests of each kind, then passes. */
  async function proxyWith(first: { packument?: ProxyAction[]; tarball?: ProxyAction[] }) {
    const counts = { packument: 0, tarball: 0 }
    proxy = await startProxy(registry.url, (req) => {
      const kind = isTarball(req) ? 'tarball' : 'packument'
      return first[kind]?.[counts[kind]++] ?? 'pass'
    })
    return proxy
  }

  test('a 500 for the package document and the tarball is retried, then succeeds', async () => {
    const p = await proxyWith({ packument: [{ status: 500 }], tarball: [{ status: 503 }] })
    const pkg = await fetchPackage('mcp-flaky@1.0.0', {
      registry: p.url,
      cache: await freshCache(),
      retry: fast,
    })
    expect(pkg.version).toBe('1.0.0')
    expect(p.requests.filter((r) => !isTarball(r))).toHaveLength(2)
    expect(p.requests.filter(isTarball)).toHaveLength(2)
  })

  test('after the last try the error names the package, the registry, its answer and the tries', async () => {
    const p = await proxyWith({ packument: Array(5).fill({ status: 500 }) })
    const err = await rejection(
      fetchPackage('mcp-flaky@1.0.0', { registry: p.url, cache: await freshCache(), retry: fast }),
    )
    expect(err.code).toBe('EFETCH')
    expect(err.message).toContain(`could not fetch mcp-flaky@1.0.0: ${p.url} answered 500`)
    expect(err.message).toContain('test proxy answered 500')
    expect(err.message).toMatch(/\(tried 3 times\)$/)
    expect(p.requests).toHaveLength(3)
  })

  test('a registry that stalls times out after the per-request timeout, retried', async () => {
    const p = await proxyWith({ tarball: ['stall', 'stall', 'stall'] })
    const err = await rejection(
      fetchPackage('mcp-flaky@1.0.0', {
        registry: p.url,
        cache: await freshCache(),
        retry: { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 10 },
        timeoutMs: 300,
      }),
    )
    expect(err.code).toBe('EFETCH')
    expect(err.message).toContain('mcp-flaky@1.0.0')
    expect(err.message).toContain('no answer within 300 ms (tried 2 times)')
    expect(p.requests.filter(isTarball)).toHaveLength(2)
  })
})

describe('fetchPackage without a registry', () => {
  test('reads a local .tgz path', async () => {
    const path = join(workDir, 'local-pkg-2.0.0.tgz')
    await writeFile(path, demoTarball('local-pkg', '2.0.0'))
    const pkg = await fetchPackage(path, { cache })
    expect(pkg).toEqual(
      expect.objectContaining({ name: 'local-pkg', version: '2.0.0', resolved: path }),
    )
    expect(pkg.integrity).toMatch(/^sha512-/)
  })

  test('a missing local .tgz is EFETCH', async () => {
    const err = await rejection(fetchPackage(join(workDir, 'missing.tgz'), { cache }))
    expect(err.code).toBe('EFETCH')
    expect(err.message).toContain('missing.tgz')
  })

  test('fetches a tarball URL', async () => {
    const url = published['1.0.0']?.tarball as string
    const pkg = await fetchPackage(url, { registry: registry.url, cache })
    expect(pkg).toEqual(
      expect.objectContaining({ name: 'mcp-demo', version: '1.0.0', resolved: url }),
    )
  })

  test('refuses a git spec before any network', async () => {
    // A registry that would refuse connections: an ESPEC proves we never asked it.
    const port = await closedPort()
    const err = await rejection(
      fetchPackage('github:someone/mcp-server', { registry: `http://127.0.0.1:${port}/`, cache }),
    )
    expect(err.code).toBe('ESPEC')
  })
})

describe('resolveVersionPair (workflow_dispatch)', () => {
  const retry = { retries: 0, minTimeoutMs: 10, maxTimeoutMs: 10 }

  test('resolves a dist-tag and takes the version below it as the old one', async () => {
    const pair = await resolveVersionPair('mcp-demo', 'latest', undefined, {
      registry: registry.url,
      cache,
    })
    expect(pair).toEqual({ from: '1.0.0', to: '1.1.0' })
  })

  test('keeps the old version the user named', async () => {
    const pair = await resolveVersionPair('mcp-demo', '^1.0.0', '0.9.0', {
      registry: registry.url,
      cache,
    })
    expect(pair).toEqual({ from: '0.9.0', to: '1.1.0' })
  })

  test('a first release is compared with nothing', async () => {
    const pair = await resolveVersionPair('@acme/mcp-tool', '0.1.0', undefined, {
      registry: registry.url,
      cache,
    })
    expect(pair).toEqual({ from: null, to: '0.1.0' })
  })

  test('a version the registry does not have is EUNPUBLISHED, naming the tags it has', async () => {
    const err = await rejection(
      resolveVersionPair('mcp-demo', '9.9.9', undefined, { registry: registry.url, cache }),
    )
    expect(err.code).toBe('EUNPUBLISHED')
    expect(err.message).toBe('mcp-demo@9.9.9 is not in the registry; known dist-tags: latest')
  })

  test('an unreachable registry is EFETCH, and its credentials never reach the message', async () => {
    const port = await closedPort()
    const err = await rejection(
      resolveVersionPair('mcp-demo', 'latest', undefined, {
        registry: `http://deploy:s3cret-pass@127.0.0.1:${port}/`,
        cache,
        retry,
      }),
    )
    expect(err.code).toBe('EFETCH')
    expect(err.message).toMatch(/^cannot read the versions of mcp-demo: /)
    expect(err.message).toContain('ECONNREFUSED')
    expect(err.message).not.toContain('s3cret-pass')
  })
})

function isTarball(req: SeenRequest): boolean {
  return req.url.endsWith('.tgz')
}

async function freshCache(): Promise<string> {
  return mkdtemp(join(cache, 'fresh-'))
}

/** A port nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
