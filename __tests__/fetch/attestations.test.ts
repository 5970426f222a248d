// The subject of a version's attestations, checked against the tarball
// reviewed: documents the tests build (as npm's registry serves them) are
// answered at /-/npm/v1/attestations/... by a proxy in front of a real
// Verdaccio, which serves everything else (and 404 for attestations it does
// not have). Versions list their attestations on registry.npmjs.org, as npm's
// documents do: the check must ask the package's own registry instead.
//
// Only the statement's subject is checked, never the Sigstore signatures: the
// bundles below carry placeholder signatures and certificates.
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import fc from 'fast-check'
import { buildVersionView, findNewFindings } from '../../src/analysis/index.js'
import { loadRules } from '../../src/analysis/rules/registry.js'
import {
  DEFAULT_ATTESTATION_LIMITS,
  attestationUrl,
  findAttestationCheck,
  parsePurl,
  purlOf,
} from '../../src/fetch/attestations.js'
import { nerfDart, parseNpmrc } from '../../src/fetch/npmrc.js'
import { fetchPackage } from '../../src/fetch/pacote.js'
import type { FetchedPackage, FetchOptions } from '../../src/fetch/types.js'
import type { Finding } from '../../src/schemas.js'
import { packFiles } from '../helpers/pack.js'
import {
  startProxy,
  startRegistry,
  type ProxyAction,
  type TestProxy,
  type TestRegistry,
} from '../helpers/verdaccio.js'

const RULE = 'threat-metadata-attestation-mismatch'
const SLSA = 'https://slsa.dev/provenance/v1'
const PUBLISH = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1'
const ATTESTATIONS = '/-/npm/v1/attestations/'

const fast = { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20 }

let registry: TestRegistry
let proxy: TestProxy
let cache: string
const rules = loadRules()

/** What the proxy answers at an attestations path (by request path); absent: Verdaccio's 404. */
const served = new Map<string, (nth: number) => ProxyAction>()
/** The sha512 (hex) of each published tarball, by `name@version`. */
const digests = new Map<string, string>()

// ---------------------------------------------------------------------------
// Documents as npm's registry serves them

interface Subject {
  name: string
  digest: Record<string, string>
}

function statement(subjects: Subject[], predicateType = SLSA): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: subjects,
    predicateType,
    predicate: { buildDefinition: { buildType: 'https://slsa-framework.github.io/gha' } },
  }
}

/** A Sigstore bundle around `payload` (an object is JSON-encoded, then base64). */
function bundle(
  payload: unknown,
  predicateType = SLSA,
  payloadType = 'application/vnd.in-toto+json',
) {
  const encoded =
    typeof payload === 'string' ? payload : Buffer.from(JSON.stringify(payload)).toString('base64')
  return {
    predicateType,
    bundle: {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {
        certificate: { rawBytes: 'MIIC placeholder, never verified' },
        tlogEntries: [],
      },
      dsseEnvelope: { payload: encoded, payloadType, signatures: [{ sig: 'MEUC', keyid: '' }] },
    },
  }
}

/** npm's pair: a publish attestation and SLSA provenance, both naming `purl` with `sha512`. */
function npmDocument(purl: string, sha512: string): string {
  const subject = [{ name: purl, digest: { sha512 } }]
  return JSON.stringify({
    attestations: [
      bundle(statement(subject, PUBLISH), PUBLISH),
      bundle(statement(subject, SLSA), SLSA),
    ],
  })
}

const ok = (body: string | Buffer, headers?: Record<string, string>) => () =>
  ({ status: 200, body, ...(headers ? { headers } : {}) }) as ProxyAction

// ---------------------------------------------------------------------------
// The registry

/** Publish name@version; with `listed`, its version document lists attestations there. */
async function release(name: string, version: string, listed?: string): Promise<string> {
  const tgz = packFiles({
    'package.json': JSON.stringify({ name, version }, null, 2),
    'index.js': `module.exports = ${JSON.stringify(version)}\n`,
  })
  await registry.publish({ name, version }, tgz)
  if (listed !== undefined) {
    await registry.editPackument(name, (doc) => {
      const v = (doc.versions as Record<string, { dist: Record<string, unknown> }>)[version]
      if (v) v.dist.attestations = { url: listed, provenance: { predicateType: SLSA } }
    })
  }
  const sha512 = createHash('sha512').update(tgz).digest('hex')
  digests.set(`${name}@${version}`, sha512)
  return sha512
}

/** Where npm's registry lists the attestations of name@version. */
function npmUrl(name: string, version: string): string {
  return `https://registry.npmjs.org${pathOf(name, version)}`
}

function pathOf(name: string, version: string): string {
  return `${ATTESTATIONS}${name.replace('/', '%2f')}@${version}`
}

/** 1.0.0 with a matching document, and 1.0.1 served `answer` (or Verdaccio's 404). */
async function pair(
  name: string,
  answer?: (sha512: string, purl: string) => (nth: number) => ProxyAction,
): Promise<void> {
  const old = await release(name, '1.0.0', npmUrl(name, '1.0.0'))
  served.set(pathOf(name, '1.0.0'), ok(npmDocument(purlOf({ name, version: '1.0.0' }), old)))
  const sha512 = await release(name, '1.0.1', npmUrl(name, '1.0.1'))
  if (answer) served.set(pathOf(name, '1.0.1'), answer(sha512, purlOf({ name, version: '1.0.1' })))
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
  proxy = await startProxy(registry.url, (req) => {
    const path = req.url.split('?')[0] as string
    const answer = served.get(path)
    if (!answer) return 'pass'
    const nth = proxy.requests.filter((r) => r.url.split('?')[0] === path).length - 1
    return answer(nth)
  })
  cache = await mkdtemp(join(tmpdir(), 'attestations-test-'))

  await pair('att-match', (sha512, purl) => ok(npmDocument(purl, sha512)))
  await pair('att-wrong-digest', (sha512, purl) =>
    ok(npmDocument(purl, createHash('sha512').update('another tarball').digest('hex'))),
  )
  // 1.0.0's genuine attestation served again for 1.0.1.
  await pair('att-replayed', () =>
    ok(
      npmDocument(
        purlOf({ name: 'att-replayed', version: '1.0.0' }),
        digests.get('att-replayed@1.0.0') as string,
      ),
    ),
  )
  await pair('att-other-package', (sha512) => ok(npmDocument('pkg:npm/left-pad@1.0.1', sha512)))
  await pair('att-one-bad', (sha512, purl) =>
    ok(
      JSON.stringify({
        attestations: [
          bundle(statement([{ name: purl, digest: { sha512 } }], PUBLISH), PUBLISH),
          bundle(statement([{ name: purl, digest: { sha512: 'ab'.repeat(64) } }])),
        ],
      }),
    ),
  )
  await pair('att-bad-base64', () =>
    ok(JSON.stringify({ attestations: [bundle('!!not base64!!')] })),
  )
  await pair('att-bad-json', () =>
    ok(JSON.stringify({ attestations: [bundle(Buffer.from('{"_type":').toString('base64'))] })),
  )
  await pair('att-not-json', () => ok('<html>not json</html>'))
  await pair('att-missing') // Verdaccio answers 404
  await pair('att-oversized', (sha512, purl) => {
    const doc = JSON.parse(npmDocument(purl, sha512)) as Record<string, unknown>
    doc.padding = 'x'.repeat(DEFAULT_ATTESTATION_LIMITS.maxDocumentBytes)
    return ok(JSON.stringify(doc))
  })
  await pair('att-oversized-chunked', (sha512, purl) => {
    const doc = JSON.parse(npmDocument(purl, sha512)) as Record<string, unknown>
    doc.padding = 'x'.repeat(DEFAULT_ATTESTATION_LIMITS.maxDocumentBytes)
    // No content-length: the bound must hold while reading.
    return ok(JSON.stringify(doc), { 'transfer-encoding': 'chunked' })
  })
  await pair('att-big-payload', (sha512, purl) => {
    const big = statement([{ name: purl, digest: { sha512 } }])
    big.predicate = { padding: 'x'.repeat(DEFAULT_ATTESTATION_LIMITS.maxPayloadBytes) }
    return ok(JSON.stringify({ attestations: [bundle(big)] }))
  })
  await pair('att-too-many', (sha512, purl) => {
    const one = bundle(statement([{ name: purl, digest: { sha512 } }]))
    const many = Array.from({ length: DEFAULT_ATTESTATION_LIMITS.maxAttestations + 1 }, () => one)
    return ok(JSON.stringify({ attestations: many }))
  })
  await pair(
    'att-flaky',
    (sha512, purl) => (nth) =>
      nth === 0 ? { status: 503 } : { status: 200, body: npmDocument(purl, sha512) },
  )
  await pair('att-stalled', () => () => 'stall')

  // Both versions on a registry that lists attestations but never serves them.
  await release('att-mirror', '1.0.0', npmUrl('att-mirror', '1.0.0'))
  await release('att-mirror', '1.0.1', npmUrl('att-mirror', '1.0.1'))
  await release('att-none', '1.0.0')
  await release('att-elsewhere', '1.0.0', 'https://evil.example/steal?what=token')

  const scopedSha = await release(
    '@private/att-scoped',
    '1.0.0',
    npmUrl('@private/att-scoped', '1.0.0'),
  )
  served.set(
    pathOf('@private/att-scoped', '1.0.0'),
    ok(npmDocument('pkg:npm/%40private/att-scoped@1.0.0', scopedSha)),
  )
}, 60_000)

afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
  if (cache) await rm(cache, { recursive: true, force: true })
})

function options(extra: Partial<FetchOptions> = {}): FetchOptions {
  return { registry: proxy.url, cache, retry: fast, ...extra }
}

/** The findings of the rule for name@1.0.0 -> name@1.0.1, metadata as fetched. */
async function review(name: string): Promise<Finding[]> {
  const [before, after] = await Promise.all([
    fetchPackage(`${name}@1.0.0`, options()),
    fetchPackage(`${name}@1.0.1`, options()),
  ])
  const view = (p: FetchedPackage) => buildVersionView(p.contents, new Map(), p.metadata ?? null)
  return findNewFindings(rules, view(before), view(after)).filter((f) => f.ruleId === RULE)
}

async function checkOf(spec: string, extra?: Partial<FetchOptions>) {
  return (await fetchPackage(spec, options(extra))).metadata?.attestation
}

describe('the attestation subject of a fetched version', () => {
  test('verifies a subject naming the package with the sha512 of the tarball, asking the package registry', async () => {
    const check = await checkOf('att-match@1.0.1')
    expect(check).toEqual({
      status: 'verified-subject',
      detail: expect.stringContaining('name pkg:npm/att-match@1.0.1 with the sha512'),
      url: `${proxy.url}-/npm/v1/attestations/att-match@1.0.1`,
    })
    expect(check?.detail).toContain('Sigstore signatures were not verified')
    expect(await review('att-match')).toEqual([])
  })

  test('flags a subject with another sha512 as a critical mismatch', async () => {
    const check = await checkOf('att-wrong-digest@1.0.1')
    expect(check?.status).toBe('mismatch')
    expect(check?.detail).toContain('names pkg:npm/att-wrong-digest@1.0.1 with sha512')
    expect(check?.detail).toContain(
      `the tarball reviewed has sha512 ${digests.get('att-wrong-digest@1.0.1')?.slice(0, 16)}`,
    )
    const findings = await review('att-wrong-digest')
    expect(findings.map((f) => [f.severity, f.file, f.line])).toEqual([
      ['critical', 'package.json', null],
    ])
    expect(findings[0]?.message).toContain('does not name the tarball reviewed')
  })

  test('flags an earlier version’s attestation served for the new version', async () => {
    const check = await checkOf('att-replayed@1.0.1')
    expect(check?.status).toBe('mismatch')
    expect(check?.detail).toContain(
      'is for pkg:npm/att-replayed@1.0.0, not for pkg:npm/att-replayed@1.0.1',
    )
    expect((await review('att-replayed')).map((f) => f.severity)).toEqual(['critical'])
  })

  test('flags an attestation for another package', async () => {
    const check = await checkOf('att-other-package@1.0.1')
    expect(check?.status).toBe('mismatch')
    expect(check?.detail).toContain('is for pkg:npm/left-pad@1.0.1')
  })

  test('one mismatching statement is a mismatch, even next to a matching one', async () => {
    expect((await checkOf('att-one-bad@1.0.1'))?.status).toBe('mismatch')
  })

  test.each([
    ['att-bad-base64', 'a payload is not base64'],
    ['att-bad-json', 'a payload is not an in-toto statement'],
    ['att-not-json', 'not an attestations list'],
    ['att-missing', 'answered 404'],
    ['att-oversized', `larger than ${DEFAULT_ATTESTATION_LIMITS.maxDocumentBytes} bytes`],
    ['att-oversized-chunked', `larger than ${DEFAULT_ATTESTATION_LIMITS.maxDocumentBytes} bytes`],
    ['att-big-payload', `larger than ${DEFAULT_ATTESTATION_LIMITS.maxPayloadBytes} bytes`],
    ['att-too-many', `only the first ${DEFAULT_ATTESTATION_LIMITS.maxAttestations} were checked`],
  ])('%s is unavailable (%s), a low finding and not a failure', async (name, why) => {
    const check = await checkOf(`${name}@1.0.1`)
    expect(check?.status).toBe('unavailable')
    expect(check?.detail).toContain(why)
    expect((await review(name)).map((f) => f.severity)).toEqual(['low'])
  })

  test('retries a 5xx of the attestation document as it retries package documents', async () => {
    const check = await checkOf('att-flaky@1.0.1')
    expect(check?.status).toBe('verified-subject')
    const asked = proxy.requests.filter((r) => r.url === pathOf('att-flaky', '1.0.1'))
    expect(asked.length).toBeGreaterThanOrEqual(2)
  })

  test('a document that never arrives is unavailable after the timeout', async () => {
    const check = await checkOf('att-stalled@1.0.1', {
      timeoutMs: 300,
      retry: { retries: 0, minTimeoutMs: 10, maxTimeoutMs: 10 },
    })
    expect(check?.status).toBe('unavailable')
  })

  test('a registry that never serves attestations is reported once, not again for each update', async () => {
    expect((await checkOf('att-mirror@1.0.1'))?.status).toBe('unavailable')
    expect(await review('att-mirror')).toEqual([])
  })

  test('a version without attestations is absent, and nothing is asked', async () => {
    const before = proxy.requests.length
    expect(await checkOf('att-none@1.0.0')).toEqual({
      status: 'absent',
      detail: expect.any(String),
      url: null,
    })
    expect(proxy.requests.slice(before).filter((r) => r.url.startsWith(ATTESTATIONS))).toEqual([])
  })

  test('a listed URL that is not an attestations path is not asked', async () => {
    const before = proxy.requests.length
    const check = await checkOf('att-elsewhere@1.0.0')
    expect(check?.status).toBe('unavailable')
    expect(check?.url).toBeNull()
    expect(proxy.requests.slice(before).filter((r) => r.url.startsWith(ATTESTATIONS))).toEqual([])
  })

  test('the lockfile integrity of the tarball is not applied to the document', async () => {
    const integrity =
      'sha512-' + Buffer.from(digests.get('att-match@1.0.1') as string, 'hex').toString('base64')
    expect((await checkOf('att-match@1.0.1', { integrity }))?.status).toBe('verified-subject')
  })

  test('a scoped package on a private registry: the token goes with the request, never in the result', async () => {
    const npmrc = parseNpmrc(`${nerfDart(proxy.url)}:_authToken=\${NODE_AUTH_TOKEN}`, {
      NODE_AUTH_TOKEN: registry.token,
    })
    const pkg = await fetchPackage('@private/att-scoped@1.0.0', options({ npmrc }))
    expect(pkg.metadata?.attestation).toEqual(
      expect.objectContaining({
        status: 'verified-subject',
        url: `${proxy.url}-/npm/v1/attestations/@private%2fatt-scoped@1.0.0`,
      }),
    )
    expect(pkg.metadata?.attestation?.detail).toContain('pkg:npm/%40private/att-scoped@1.0.0')
    const asked = proxy.requests.filter((r) => r.url === pathOf('@private/att-scoped', '1.0.0'))
    expect(asked.at(-1)?.headers.authorization).toBe(`Bearer ${registry.token}`)
    expect(inspect(pkg.metadata, { depth: 10 })).not.toContain(registry.token)
  })
})

// ---------------------------------------------------------------------------
// The pure parts

const TARGET = { name: '@acme/mcp', version: '1.2.3', sha512: 'ab'.repeat(64) }
const PURL = 'pkg:npm/%40acme/mcp@1.2.3'
const check = (doc: unknown) =>
  findAttestationCheck(Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)), TARGET)

describe('findAttestationCheck', () => {
  test('accepts npm’s purl with a repository_url qualifier and upper-case hex', () => {
    const subject = [
      { name: `${PURL}?repository_url=https://r.example`, digest: { sha512: 'AB'.repeat(64) } },
    ]
    expect(check({ attestations: [bundle(statement(subject))] }).status).toBe('verified-subject')
  })

  test('accepts the unencoded scope and a statement with several subjects', () => {
    const subject = [
      { name: 'pkg:npm/other@1.0.0', digest: { sha512: 'cd'.repeat(64) } },
      { name: 'pkg:npm/@acme/mcp@1.2.3', digest: { sha512: 'ab'.repeat(64) } },
    ]
    expect(check({ attestations: [bundle(statement(subject))] }).status).toBe('verified-subject')
  })

  test.each([
    ['no attestations', { attestations: [] }],
    [
      'a subject without sha512',
      { attestations: [bundle(statement([{ name: PURL, digest: { sha256: 'ab' } }]))] },
    ],
    [
      'a non-hex sha512',
      { attestations: [bundle(statement([{ name: PURL, digest: { sha512: 'q83v' } }]))] },
    ],
    ['another statement type', { attestations: [bundle({ ...statement([]), _type: 'x' })] }],
    ['another payload type', { attestations: [bundle(statement([]), SLSA, 'text/plain')] }],
    ['no envelope', { attestations: [{ bundle: {} }] }],
    [
      'a payload that is not UTF-8',
      { attestations: [bundle(Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'))] },
    ],
    ['not an object', [1, 2, 3]],
    ['an empty body', ''],
  ])('%s is unavailable', (_, doc) => {
    expect(check(doc).status).toBe('unavailable')
  })

  test('never throws, whatever the registry serves', () => {
    const entry = fc.oneof(
      fc.jsonValue(),
      fc.record({
        bundle: fc.record({
          dsseEnvelope: fc.record({
            payload: fc.oneof(
              fc.string(),
              fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64')),
            ),
            payloadType: fc.constantFrom('application/vnd.in-toto+json', 'x'),
          }),
        }),
      }),
    )
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ attestations: fc.array(entry) })), (doc) => {
        const result = check(JSON.stringify(doc) ?? '')
        expect(['unavailable', 'mismatch', 'verified-subject']).toContain(result.status)
      }),
    )
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(findAttestationCheck(bytes, TARGET).status).toBe('unavailable')
      }),
    )
  })
})

describe('purls and URLs', () => {
  test('purlOf writes the scope as npm-package-arg does, parsePurl reads both spellings', () => {
    expect(purlOf(TARGET)).toBe(PURL)
    expect(parsePurl(PURL)).toEqual({ name: '@acme/mcp', version: '1.2.3' })
    expect(parsePurl('pkg:npm/@acme/mcp@1.2.3')).toEqual({ name: '@acme/mcp', version: '1.2.3' })
    expect(parsePurl('pkg:npm/x@1.0.0%2Bbuild')).toEqual({ name: 'x', version: '1.0.0+build' })
    expect(parsePurl('pkg:pypi/x@1.0.0')).toBeNull()
    expect(parsePurl('pkg:npm/%E0%A4%A@1.0.0')).toBeNull()
  })

  test('attestationUrl keeps the listed path and puts it under the package registry', () => {
    const listed = 'https://registry.npmjs.org/-/npm/v1/attestations/@acme%2fmcp@1.2.3'
    expect(attestationUrl(listed, 'https://npm.example.com/npm/')).toBe(
      'https://npm.example.com/npm/-/npm/v1/attestations/@acme%2fmcp@1.2.3',
    )
    expect(attestationUrl(listed, 'http://127.0.0.1:4873')).toBe(
      'http://127.0.0.1:4873/-/npm/v1/attestations/@acme%2fmcp@1.2.3',
    )
    expect(
      attestationUrl('https://r.example/-/npm/v1/attestations/%2e%2e/%2e%2e/user', 'https://r/'),
    ).toBeNull()
    expect(attestationUrl('https://r.example/-/npm/v1/attestations/', 'https://r/')).toBeNull()
    expect(attestationUrl('https://evil.example/x', 'https://r/')).toBeNull()
    expect(attestationUrl('::', 'https://r/')).toBeNull()
  })
})
