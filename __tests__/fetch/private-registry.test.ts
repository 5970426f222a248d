// A scoped private registry that needs a token, configured as npm would be
// (.npmrc with NODE_AUTH_TOKEN), next to a public default registry: the token
// goes to the private registry only and never shows in a result or an error.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { isReviewError, type ReviewError } from '../../src/errors.js'
import { nerfDart, parseNpmrc, withRegistryToken } from '../../src/fetch/npmrc.js'
import { fetchPackage } from '../../src/fetch/pacote.js'
import type { FetchOptions } from '../../src/fetch/types.js'
import { packFiles } from '../helpers/pack.js'
import {
  startProxy,
  startRegistry,
  type TestProxy,
  type TestRegistry,
} from '../helpers/verdaccio.js'

let registry: TestRegistry
let publicRegistry: TestProxy
let cache: string

const fast = { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20 }

function tarball(manifest: Record<string, unknown>): Buffer {
  return packFiles({ 'package.json': JSON.stringify(manifest), 'index.js': 'module.exports = 1\n' })
}

beforeAll(async () => {
  registry = await startRegistry({
    packages: {
      '@private/*': {
        access: '$authenticated',
        publish: '$authenticated',
        unpublish: '$authenticated',
      },
    },
  })
  // The "public" default registry: the same Verdaccio behind a proxy that
  // records every header it is sent.
  publicRegistry = await startProxy(registry.url)
  cache = await mkdtemp(join(tmpdir(), 'private-registry-test-'))
  const secret = { name: '@private/secret-mcp', version: '1.0.0' }
  await registry.publish(secret, tarball(secret))
  const open = {
    name: 'open-mcp',
    version: '1.0.0',
    dependencies: { '@private/secret-mcp': '^1.0.0' },
  }
  await registry.publish(open, tarball(open))
}, 30_000)

afterAll(async () => {
  await publicRegistry?.stop()
  await registry?.stop()
  if (cache) await rm(cache, { recursive: true, force: true })
})

/** .npmrc as actions/setup-node writes it for a scope, with the token in NODE_AUTH_TOKEN. */
function options(env: Record<string, string | undefined>): FetchOptions {
  const npmrc = parseNpmrc(
    [
      `${nerfDart(registry.url)}:_authToken=\${NODE_AUTH_TOKEN}`,
      `@private:registry=${registry.url}`,
      'always-auth=true',
    ].join('\n'),
    env,
  )
  return { registry: publicRegistry.url, npmrc, cache, retry: fast }
}

async function rejection(promise: Promise<unknown>): Promise<ReviewError> {
  try {
    await promise
  } catch (err) {
    if (isReviewError(err)) return err
    throw err
  }
  throw new Error('expected a ReviewError')
}

function everything(value: unknown): string {
  return inspect(value, { depth: 12, showHidden: true, maxStringLength: Infinity })
}

describe('a scoped private registry', () => {
  test('fetches a private package with the token from NODE_AUTH_TOKEN', async () => {
    const pkg = await fetchPackage(
      '@private/secret-mcp@1.0.0',
      options({ NODE_AUTH_TOKEN: registry.token }),
    )
    expect(pkg.name).toBe('@private/secret-mcp')
    expect(pkg.metadata?.registry).toBe(registry.url)
    expect(everything(pkg)).not.toContain(registry.token)
  })

  test('never sends the token to the public registry, for the package or its dependencies', async () => {
    const before = publicRegistry.requests.length
    const pkg = await fetchPackage('open-mcp@1.0.0', options({ NODE_AUTH_TOKEN: registry.token }))
    const seen = publicRegistry.requests.slice(before)
    expect(seen.length).toBeGreaterThan(0)
    for (const req of seen) {
      expect(req.headers.authorization).toBeUndefined()
      expect(everything(req.headers)).not.toContain(registry.token)
      // The scoped dependency is looked up in its own registry, not here.
      expect(decodeURIComponent(req.url)).not.toContain('@private')
    }
    expect(pkg.metadata?.dependencyInfo['@private/secret-mcp']?.firstPublished).toEqual(
      expect.any(String),
    )
  })

  test('without the token: a clear error that says what to configure', async () => {
    const err = await rejection(fetchPackage('@private/secret-mcp@1.0.0', options({})))
    expect(err.code).toBe('EFETCH')
    expect(err.message).toContain(`no credential is configured for ${nerfDart(registry.url)}`)
  })

  test('a refused token is named by its registry, never shown', async () => {
    const wrong = 'wrong-token-that-must-not-leak'
    const err = await rejection(
      fetchPackage('@private/secret-mcp@1.0.0', options({ NODE_AUTH_TOKEN: wrong })),
    )
    expect(err.code).toBe('EFETCH')
    expect(err.message).toContain(
      `the credential configured for ${nerfDart(registry.url)} was refused`,
    )
    expect(everything(err)).not.toContain(wrong)
  })

  test('the registry-token input applies to its registry only', async () => {
    const opts = options({})
    const npmrc = withRegistryToken(opts.npmrc!, registry.url, registry.token)
    const pkg = await fetchPackage('@private/secret-mcp@1.0.0', { ...opts, npmrc })
    expect(pkg.version).toBe('1.0.0')
  })

  test('a missing package in the private registry does not echo the token', async () => {
    const err = await rejection(
      fetchPackage('@private/nothing-here@1.0.0', options({ NODE_AUTH_TOKEN: registry.token })),
    )
    expect(['EUNPUBLISHED', 'EFETCH']).toContain(err.code)
    expect(everything(err)).not.toContain(registry.token)
  })
})
