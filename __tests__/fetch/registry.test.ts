// fetchPackage against a real registry (Verdaccio on 127.0.0.1).
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isReviewError, type ErrorCode } from '../../src/errors.js'
import { fetchPackage } from '../../src/fetch/pacote.js'
import { DEFAULT_LIMITS } from '../../src/fetch/types.js'
import { packFiles } from '../helpers/pack.js'
import { startRegistry, type Published, type TestRegistry } from '../helpers/verdaccio.js'

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
