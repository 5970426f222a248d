// Fetch a package tarball with pacote (npm's fetcher: same registry protocol,
// auth, caching and integrity checks as `npm install`) and read it in memory.
// Only `tarball` is used: pacote's extract and manifest for local files would
// write the package to disk, and git/directory specs would run its scripts.
import { createHash } from 'node:crypto'
import pacote from 'pacote'
import { ReviewError, isReviewError } from '../errors.js'
import { parseSpec, redactSecrets, type ParsedSpec } from './spec.js'
import {
  DEFAULT_LIMITS,
  type FetchOptions,
  type FetchedPackage,
  type PackageContents,
} from './types.js'
import { readTarball } from './untar.js'

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/'

/** Fetch, verify and read one package. Never runs any of its code. */
export async function fetchPackage(spec: string, opts: FetchOptions): Promise<FetchedPackage> {
  const parsed = parseSpec(spec)
  const limits = opts.limits ?? DEFAULT_LIMITS
  const registry = opts.registry ?? DEFAULT_REGISTRY
  const expected = opts.integrity ? parseIntegrity(opts.integrity, parsed) : null
  // Aborts the download once the tarball is over the bound.
  const download = new AbortController()
  const pacoteOpts = pacoteOptions(opts, registry, download.signal)

  let resolved: string
  let tgz: Buffer
  try {
    resolved = await pacote.resolve(parsed.pacoteSpec, pacoteOpts)
    // A compressed tarball larger than the inflated bound cannot be reviewed;
    // the slack covers gzip's few bytes of overhead on incompressible data.
    const maxBytes = limits.maxTotalBytes + Math.ceil(limits.maxTotalBytes / 64) + 64 * 1024
    tgz = await pacote.tarball.stream(
      parsed.pacoteSpec,
      (stream) => readBounded(stream, maxBytes, parsed, () => download.abort()),
      { ...pacoteOpts, resolved },
    )
  } catch (err) {
    throw toReviewError(err, parsed, registry)
  }
  // pacote checked `expected` already; checking again costs one hash and
  // does not depend on how pacote treats its cache.
  if (expected) checkIntegrity(tgz, expected, parsed)

  const contents = readTarball(tgz, limits)
  const { name, version } = readManifest(contents, parsed)
  return {
    spec,
    name,
    version,
    resolved: redactSecrets(resolved),
    integrity: 'sha512-' + createHash('sha512').update(tgz).digest('base64'),
    contents,
  }
}

function pacoteOptions(opts: FetchOptions, registry: string, signal: AbortSignal): pacote.Options {
  return {
    registry,
    signal,
    cache: opts.cache,
    ...(opts.integrity ? { integrity: opts.integrity } : {}),
    // Revalidate package documents: an unpublished version must not be
    // served from an old cached copy.
    preferOnline: true,
    packumentCache: new Map(),
    retry: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 4000 },
    // Defence in depth, parseSpec refuses these already: fetching git or
    // directory specs runs the package's prepare script.
    ...({ allowGit: 'none', allowDirectory: 'none', ignoreScripts: true } as object),
  }
}

/**
 * Collect the tarball, at most `maxBytes` of it. Past the bound we abort the
 * download and drop what is still in flight. Plain listeners, not for-await:
 * Minipass's async iterator listens for errors only while it waits, and an
 * error emitted between two reads would be thrown as unhandled.
 */
function readBounded(
  stream: NodeJS.EventEmitter,
  maxBytes: number,
  parsed: ParsedSpec,
  abort: () => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    const tooLarge = (): ReviewError =>
      new ReviewError(
        'ETOOLARGE',
        `the tarball of ${describe(parsed)} is larger than ${maxBytes} bytes (maxTotalBytes); it was not reviewed`,
      )
    stream.on('data', (chunk: Buffer | string) => {
      if (over) return
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += buf.length
      if (size <= maxBytes) return void chunks.push(buf)
      over = true
      chunks.length = 0
      abort()
    })
    // After our abort, the stream's error (or end) only means "stopped".
    stream.on('error', (err: unknown) => reject(over ? tooLarge() : err))
    stream.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks, size))))
  })
}

function readManifest(
  contents: PackageContents,
  parsed: ParsedSpec,
): { name: string; version: string } {
  const raw = contents.files.get('package.json')
  if (!raw) {
    if (contents.incomplete) {
      throw new ReviewError(
        'ETOOLARGE',
        `${describe(parsed)}: package.json was not read because the archive hit a limit: ${contents.incomplete}`,
      )
    }
    throw new ReviewError('EMANIFEST', `${describe(parsed)}: the tarball has no package.json`)
  }
  let manifest: unknown
  try {
    // Size is bounded by maxFileBytes: it came out of readTarball.
    manifest = JSON.parse(new TextDecoder().decode(raw).replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new ReviewError(
      'EMANIFEST',
      `${describe(parsed)}: package.json is not valid JSON (${(err as Error).message})`,
      { cause: err },
    )
  }
  const { name, version } = (manifest ?? {}) as { name?: unknown; version?: unknown }
  if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') {
    throw new ReviewError(
      'EMANIFEST',
      `${describe(parsed)}: package.json has no name or no version`,
    )
  }
  return { name, version }
}

// ---------------------------------------------------------------------------
// Integrity

const ALGORITHMS = ['sha512', 'sha384', 'sha256', 'sha1'] as const // strongest first, as ssri

type Expected = Map<string, string[]>

function parseIntegrity(integrity: string, parsed: ParsedSpec): Expected {
  const byAlgorithm: Expected = new Map()
  for (const token of integrity.trim().split(/\s+/)) {
    const match = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token)
    if (!match) continue
    const [, algorithm, digest] = match as unknown as [string, string, string]
    byAlgorithm.set(algorithm, [...(byAlgorithm.get(algorithm) ?? []), digest])
  }
  if (byAlgorithm.size === 0) {
    // An unparsable value would make pacote skip the check silently.
    throw new ReviewError(
      'EINTEGRITY',
      `${describe(parsed)}: the expected integrity ${JSON.stringify(integrity.slice(0, 200))} is not an SRI hash (sha512-...)`,
    )
  }
  return byAlgorithm
}

/** Like ssri: compare with the strongest algorithm the expected value has. */
function checkIntegrity(tgz: Buffer, expected: Expected, parsed: ParsedSpec): void {
  const algorithm = ALGORITHMS.find((a) => expected.has(a)) as string
  const actual = createHash(algorithm).update(tgz).digest('base64')
  const wanted = expected.get(algorithm) ?? []
  if (!wanted.includes(actual)) {
    throw new ReviewError(
      'EINTEGRITY',
      `${describe(parsed)}: the tarball does not match the expected integrity: expected ` +
        `${wanted.map((d) => `${algorithm}-${d}`).join(' ')}, got ${algorithm}-${actual}`,
    )
  }
}

// ---------------------------------------------------------------------------
// Errors

interface PacoteError {
  code?: unknown
  statusCode?: unknown
  message?: unknown
  body?: unknown
  expected?: unknown
  found?: unknown
  distTags?: unknown
}

function toReviewError(err: unknown, parsed: ParsedSpec, registry: string): ReviewError {
  if (isReviewError(err)) return err
  const e = (err ?? {}) as PacoteError
  const code = typeof e.code === 'string' ? e.code : ''
  const msg = redactSecrets(typeof e.message === 'string' ? e.message : String(err))
  const where = redactSecrets(registry)
  const what = describe(parsed)
  const opts = { cause: err }

  if (code === 'EINTEGRITY') {
    // ssri's errors carry expected/found; minipass-fetch's only say it in the message.
    const detail =
      e.expected && e.found ? `expected ${String(e.expected)}, got ${String(e.found)}` : msg
    return new ReviewError(
      'EINTEGRITY',
      `${what}: the tarball does not match the expected integrity: ${detail}`,
      opts,
    )
  }
  if (parsed.kind === 'registry' && (code === 'E404' || code === 'E410')) {
    return new ReviewError(
      'EUNPUBLISHED',
      `${what} is not in ${where} (the registry answered ${msg}); it may have been unpublished or removed`,
      opts,
    )
  }
  if (parsed.kind === 'registry' && (code === 'ETARGET' || code === 'ENOVERSIONS')) {
    const latest = (e.distTags as { latest?: unknown } | undefined)?.latest
    return new ReviewError(
      'EUNPUBLISHED',
      `${what} is not in ${where} (the registry's package document has no matching version` +
        `${typeof latest === 'string' ? `; latest is ${latest}` : ''}); it may have been unpublished or removed`,
      opts,
    )
  }
  if (parsed.kind === 'file' && code === 'ENOENT') {
    return new ReviewError('EFETCH', `cannot read ${what}: no such file`, opts)
  }
  if (/^E\d{3}$/.test(code)) {
    const source = parsed.kind === 'registry' ? where : 'the server'
    return new ReviewError('EFETCH', `could not fetch ${what}: ${source} answered ${msg}`, opts)
  }
  const source = parsed.kind === 'registry' ? ` from ${where}` : ''
  return new ReviewError(
    'EFETCH',
    `could not fetch ${what}${source}: ${msg}${code && !msg.includes(code) ? ` (${code})` : ''}`,
    opts,
  )
}

/** How a spec is named in messages: never with credentials. */
function describe(parsed: ParsedSpec): string {
  switch (parsed.kind) {
    case 'registry':
      return `${parsed.name}@${parsed.selector}`
    case 'file':
      return parsed.path
    case 'remote':
      return redactSecrets(parsed.url)
  }
}
