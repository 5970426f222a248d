// pacote's and npm-registry-fetch's errors, turned into one ReviewError line
// with what the user can act on: the package, the registry, its answer, how
// often we asked. Never with a credential: every message passes redact().
import { ReviewError, isReviewError } from '../errors.js'
import { nerfDart } from './npmrc.js'
import { describeMissingVersion, type Packument } from './packument.js'
import { redactSecrets, type ParsedSpec } from './spec.js'

export interface ErrorContext {
  /** The registry that serves this package (its scope's, or the default). */
  registry: string
  /** How many times a retriable request was tried. */
  attempts: number
  timeoutMs: number
  /** Exact secrets to scrub, besides the patterns redactSecrets knows. */
  secrets: string[]
  /** The package document, when it was read before the failure. */
  packument: Packument | null
  /** The npm key (`//host/path/`) of the credential sent to this registry, if any. */
  credential: string | null
}

interface PacoteError {
  code?: unknown
  type?: unknown
  statusCode?: unknown
  message?: unknown
  expected?: unknown
  found?: unknown
  distTags?: unknown
  headers?: unknown
}

/** Connection failures and timeouts that make-fetch-happen retries. */
const NETWORK_RETRIED =
  /^(ECONNRESET|ECONNREFUSED|EADDRINUSE|ETIMEDOUT|E\w*TIMEOUT|EPIPE|EAI_AGAIN)$/

export function toReviewError(thrown: unknown, parsed: ParsedSpec, ctx: ErrorContext): ReviewError {
  if (isReviewError(thrown)) return thrown
  // An error a stream emitted without a listener arrives wrapped by node:events.
  const err = unwrapUnhandled(thrown)
  const clean = (text: string): string => redact(text, ctx.secrets)
  const e = (err ?? {}) as PacoteError
  const code = typeof e.code === 'string' ? e.code : ''
  const msg = clean(typeof e.message === 'string' ? e.message : String(err))
  const where = clean(ctx.registry)
  const what = describe(parsed)
  const opts = { cause: err }
  const registry = parsed.kind === 'registry'

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
  if (registry && (code === 'E404' || code === 'E410')) {
    const known = knownAboutMissing(parsed, ctx)
    const tarball = /\.tgz\b/.test(msg) ? ' for its tarball' : ''
    return new ReviewError(
      'EUNPUBLISHED',
      `${what} is not in ${where} (the registry answered ${msg}${tarball})` +
        (known ? `: ${known}` : '; it may have been unpublished or removed'),
      opts,
    )
  }
  if (registry && (code === 'ETARGET' || code === 'ENOVERSIONS')) {
    const latest = (e.distTags as { latest?: unknown } | undefined)?.latest
    const known = knownAboutMissing(parsed, ctx)
    return new ReviewError(
      'EUNPUBLISHED',
      `${what} is not in ${where} (the registry's package document has no matching version` +
        `${typeof latest === 'string' ? `; latest is ${clean(latest)}` : ''})` +
        (known ? `: ${known}` : '; it may have been unpublished or removed'),
      opts,
    )
  }
  if (parsed.kind === 'file' && code === 'ENOENT') {
    return new ReviewError('EFETCH', `cannot read ${what}: no such file`, opts)
  }
  if (registry && (code === 'E401' || code === 'E403')) {
    const advice = ctx.credential
      ? `the credential configured for ${ctx.credential} was refused`
      : `no credential is configured for ${clean(nerf(ctx.registry))}: set registry-token, or an .npmrc ` +
        `line ${clean(nerf(ctx.registry))}:_authToken=\${NODE_AUTH_TOKEN}`
    const answer = msg.startsWith(code.slice(1)) ? msg : `${code.slice(1)} (${msg})`
    return new ReviewError(
      'EFETCH',
      `could not fetch ${what}: ${where} answered ${answer}; ${advice}`,
      opts,
    )
  }
  const tries = ctx.attempts > 1 ? ` (tried ${attemptsOf(e, ctx.attempts)} times)` : ''
  if (/^E\d{3}$/.test(code)) {
    const source = registry ? where : 'the server'
    const retried = Number(code.slice(1)) >= 500 || ['E408', 'E429'].includes(code) ? tries : ''
    return new ReviewError(
      'EFETCH',
      `could not fetch ${what}: ${source} answered ${msg}${retried}`,
      opts,
    )
  }
  const source = registry ? ` from ${where}` : ''
  if (isTimeout(e)) {
    return new ReviewError(
      'EFETCH',
      `could not fetch ${what}${source}: no answer within ${ctx.timeoutMs} ms${tries}: ${msg}`,
      opts,
    )
  }
  const retried = NETWORK_RETRIED.test(code) ? tries : ''
  return new ReviewError(
    'EFETCH',
    `could not fetch ${what}${source}${retried}: ${msg}${code && !msg.includes(code) ? ` (${code})` : ''}`,
    opts,
  )
}

function unwrapUnhandled(err: unknown): unknown {
  const e = err as { code?: unknown; context?: unknown } | null
  return e?.code === 'ERR_UNHANDLED_ERROR' && e.context instanceof Error ? e.context : err
}

function knownAboutMissing(parsed: ParsedSpec, ctx: ErrorContext): string | null {
  if (parsed.kind !== 'registry' || !ctx.packument) return null
  const version = parsed.selectorType === 'version' ? parsed.selector : null
  const known = describeMissingVersion(ctx.packument, version)
  return known ? redact(known, ctx.secrets) : null
}

/** make-fetch-happen records the attempts of an HTTP answer in a header. */
function attemptsOf(e: PacoteError, fallback: number): number {
  const headers = (e.headers ?? {}) as Record<string, unknown>
  const raw = headers['x-fetch-attempts']
  const value = Number(Array.isArray(raw) ? raw[0] : raw)
  return Number.isInteger(value) && value > 0 ? value : fallback
}

function isTimeout(e: PacoteError): boolean {
  const code = typeof e.code === 'string' ? e.code : ''
  return (
    e.type === 'request-timeout' ||
    e.type === 'body-timeout' ||
    /TIMEOUT|ETIMEDOUT/.test(code) ||
    /\btimeout\b/i.test(typeof e.message === 'string' ? e.message : '')
  )
}

function nerf(registry: string): string {
  try {
    return nerfDart(registry)
  } catch {
    return registry
  }
}

/** Known secrets first (exact strings), then the patterns of redactSecrets. */
export function redact(text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) out = out.split(secret).join('***')
  return redactSecrets(out)
}

/** How a spec is named in messages: never with credentials. */
export function describe(parsed: ParsedSpec): string {
  switch (parsed.kind) {
    case 'registry':
      return `${parsed.name}@${parsed.selector}`
    case 'file':
      return parsed.path
    case 'remote':
      return redactSecrets(parsed.url)
  }
}
