// Does the registry's attestation document describe the tarball we reviewed?
// `npm publish --provenance` (and trusted publishing) stores Sigstore bundles
// that the version lists under `dist.attestations.url`: each bundle wraps a
// DSSE envelope around an in-toto statement whose `subject` names the package
// as a purl (`pkg:npm/%40scope/name@1.0.0`) with the sha512 of its tarball.
// We compare that subject with the package and the bytes we hashed.
//
// What this does NOT check: the Sigstore signature over the envelope, the
// signing certificate's chain to Fulcio, and the Rekor transparency-log entry
// (what `npm audit signatures` verifies). That needs Sigstore's trust root
// (TUF metadata from tuf-repo-cdn.sigstore.dev), which this tool does not
// fetch and which the machines it is built and tested on cannot reach. So a
// registry that forges both a tarball and a statement naming it passes. What
// is caught: a tarball other than the one the attestation was made for (one
// swapped on a mirror, a proxy or in a cache while the document was copied
// from upstream), and a document that names another package or version.
//
// A version that lists no attestation is `absent` here and nothing more:
// whether it should have one (earlier versions had) is what
// threat-metadata-provenance-lost reports.
import npmFetch from 'npm-registry-fetch'
import type pacote from 'pacote'
import { z } from 'zod'
import { redact } from './registry-errors.js'
import type { AttestationCheck, VersionMetadata } from './types.js'
import { readBounded } from './stream.js'

/** Bounds on what we read; npm's documents are a few kB per attestation. */
export interface AttestationLimits {
  /** Bytes of the whole document as served (after content decoding). */
  maxDocumentBytes: number
  /** Attestations read from one document (npm writes two: publish and SLSA provenance). */
  maxAttestations: number
  /** Bytes of one decoded DSSE payload (the in-toto statement). */
  maxPayloadBytes: number
  /** Subjects of one statement. */
  maxSubjects: number
}

export const DEFAULT_ATTESTATION_LIMITS: AttestationLimits = {
  maxDocumentBytes: 1024 * 1024,
  maxAttestations: 16,
  maxPayloadBytes: 256 * 1024,
  maxSubjects: 64,
}

/** The package and tarball an attestation must name. */
export interface AttestationTarget {
  name: string
  version: string
  /** sha512 of the tarball bytes we reviewed, lower-case hex. */
  sha512: string
}

/** Where npm's registry serves attestations, relative to the registry URL. */
const ATTESTATIONS_PATH = '-/npm/v1/attestations/'

/** DSSE payload type of an in-toto statement. */
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'
/** in-toto Statement v0.1 (older npm) and v1. */
const IN_TOTO_STATEMENT = /^https:\/\/in-toto\.io\/Statement\/v(0\.1|1)$/

// ---------------------------------------------------------------------------
// I/O

interface CheckOptions {
  /** pacoteOptions(): the same registries, credentials, cache, retries and timeout. */
  base: pacote.Options
  /** The registry that served the package document (unredacted: it is asked). */
  registry: string
  /** Exact secrets to scrub from details. */
  secrets: string[]
  limits?: AttestationLimits
}

/**
 * Fetch the attestation document the version lists and check its subjects.
 * Never throws: a failure to fetch or read is `unavailable`, not a failed review.
 */
export async function fetchAttestationCheck(
  provenance: VersionMetadata['provenance'],
  target: AttestationTarget,
  how: CheckOptions,
): Promise<AttestationCheck> {
  try {
    return await checkAttestation(provenance, target, how)
  } catch (err) {
    // Defence in depth: every path below already returns a check.
    return unavailable(`The attestation could not be checked: ${failureOf(err, how.secrets)}.`)
  }
}

async function checkAttestation(
  provenance: VersionMetadata['provenance'],
  target: AttestationTarget,
  how: CheckOptions,
): Promise<AttestationCheck> {
  if (!provenance) {
    return {
      status: 'absent',
      detail: 'The registry lists no provenance attestation for this version.',
      url: null,
    }
  }
  const limits = how.limits ?? DEFAULT_ATTESTATION_LIMITS
  if (!provenance.url) {
    return unavailable('The version lists a provenance attestation without a URL to fetch it from.')
  }
  const url = attestationUrl(provenance.url, how.registry)
  if (!url) {
    return unavailable(
      `The version lists its attestations at ${quote(redact(provenance.url, how.secrets))}, ` +
        `which is not a registry attestations URL (.../${ATTESTATIONS_PATH}...).`,
    )
  }
  const shown = redact(url, how.secrets)
  let body: Buffer
  try {
    body = await fetchBounded(url, how.base, limits.maxDocumentBytes)
  } catch (err) {
    return unavailable(
      `Could not read the attestation document ${shown}: ${failureOf(err, how.secrets)}.`,
      shown,
    )
  }
  return { ...findAttestationCheck(body, target, limits), url: shown }
}

/**
 * The attestations URL on the package's own registry, as pacote does it: the
 * listed URL's path from `-/npm/v1/attestations/` on, under `registry`. The
 * listed host is not asked (nor sent a credential): the document comes from
 * the registry that served the package. Null when the path is not one.
 */
export function attestationUrl(listed: string, registry: string): string | null {
  const base = registry.endsWith('/') ? registry : registry + '/'
  let pathname: string
  try {
    // Parsing resolves `.` and `..` segments (also percent-encoded ones).
    pathname = new URL(listed, base).pathname
  } catch {
    return null
  }
  const at = pathname.indexOf('/' + ATTESTATIONS_PATH)
  if (at === -1) return null
  const rest = pathname.slice(at + 1 + ATTESTATIONS_PATH.length)
  if (rest === '') return null
  let url: string
  try {
    url = new URL(ATTESTATIONS_PATH + rest, base).href
  } catch {
    return null
  }
  return url.startsWith(new URL(ATTESTATIONS_PATH, base).href) ? url : null
}

/** GET `url` with npm-registry-fetch (auth, cache, retries, timeout), at most `maxBytes`. */
async function fetchBounded(url: string, base: pacote.Options, maxBytes: number): Promise<Buffer> {
  const abort = new AbortController()
  const res = await npmFetch(url, {
    ...(base as npmFetch.Options),
    // Not in @types/npm-registry-fetch; npm-registry-fetch hands it to make-fetch-happen.
    ...({ signal: abort.signal } as object),
  })
  const body = res.body as unknown as NodeJS.EventEmitter
  const length = Number(res.headers.get('content-length'))
  if (Number.isFinite(length) && length > maxBytes) {
    // The aborted body emits an error: without a listener it would be thrown.
    body.on('error', () => {})
    abort.abort()
    throw new SizeError(maxBytes)
  }
  return readBounded(
    body,
    maxBytes,
    () => abort.abort(),
    () => new SizeError(maxBytes),
  )
}

class SizeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the document is larger than ${maxBytes} bytes`)
  }
}

/** The registry's answer or the network error, in a few words, without secrets. */
function failureOf(err: unknown, secrets: string[]): string {
  if (err instanceof SizeError) return err.message
  const e = (err ?? {}) as { code?: unknown; statusCode?: unknown; message?: unknown }
  const code = typeof e.code === 'string' ? e.code : ''
  if (/^E\d{3}$/.test(code)) return `it answered ${code.slice(1)}`
  const message = typeof e.message === 'string' ? e.message : String(err)
  return clip(redact(code && !message.includes(code) ? `${message} (${code})` : message, secrets))
}

// ---------------------------------------------------------------------------
// The document, as data

const DocumentSchema = z.looseObject({ attestations: z.array(z.unknown()) })

const AttestationSchema = z.looseObject({
  bundle: z.looseObject({
    dsseEnvelope: z.looseObject({ payload: z.string(), payloadType: z.string() }),
  }),
})

const SubjectSchema = z.looseObject({
  name: z.string(),
  digest: z.record(z.string(), z.unknown()),
})

const StatementSchema = z.looseObject({
  _type: z.string().regex(IN_TOTO_STATEMENT),
  subject: z.array(z.unknown()).min(1),
  predicateType: z.string(),
})

/** One attestation: a statement's verdict, or why it could not be read. */
type Reading =
  | { kind: 'match'; predicateType: string }
  | { kind: 'mismatch'; why: string }
  | { kind: 'unreadable'; why: string }

/**
 * What a served document says of `target`. Pure and total: any input gives
 * a check, never an exception. A mismatch wins over an unreadable entry (it
 * is positive evidence), an unreadable entry over the matches.
 */
export function findAttestationCheck(
  body: Uint8Array,
  target: AttestationTarget,
  limits: AttestationLimits = DEFAULT_ATTESTATION_LIMITS,
): Omit<AttestationCheck, 'url'> {
  if (body.length > limits.maxDocumentBytes) {
    return unavailable(`The attestation document is larger than ${limits.maxDocumentBytes} bytes.`)
  }
  const json = parseJson(body)
  const doc = DocumentSchema.safeParse(json.ok ? json.value : undefined)
  if (!json.ok || !doc.success) {
    return unavailable(
      `The attestation document is not an attestations list: ${json.ok ? 'no "attestations" array' : json.why}.`,
    )
  }
  const entries = doc.data.attestations
  if (entries.length === 0) {
    return unavailable('The attestation document lists no attestations.')
  }
  const readings = entries
    .slice(0, limits.maxAttestations)
    .map((entry) => readAttestation(entry, target, limits))
  const mismatches = readings.filter((r) => r.kind === 'mismatch')
  if (mismatches.length > 0) {
    const more = mismatches.length > 1 ? ` (and ${mismatches.length - 1} more)` : ''
    return { status: 'mismatch', detail: `${mismatches[0]?.why}${more}` }
  }
  const unreadable = readings.filter((r) => r.kind === 'unreadable')
  if (unreadable.length > 0) {
    return unavailable(
      `${unreadable.length} of ${readings.length} attestations could not be read: ${unreadable[0]?.why}.`,
    )
  }
  if (entries.length > limits.maxAttestations) {
    return unavailable(
      `The attestation document lists ${entries.length} attestations; only the first ` +
        `${limits.maxAttestations} were checked, and they match.`,
    )
  }
  const types = [
    ...new Set(readings.map((r) => (r.kind === 'match' ? clip(r.predicateType, 100) : ''))),
  ]
  return {
    status: 'verified-subject',
    detail:
      `${readings.length} attestation statement${readings.length === 1 ? '' : 's'} (${types.join(', ')}) ` +
      `name ${purlOf(target)} with the sha512 of the tarball reviewed; their Sigstore signatures were not verified.`,
  }
}

function readAttestation(
  entry: unknown,
  target: AttestationTarget,
  limits: AttestationLimits,
): Reading {
  const attestation = AttestationSchema.safeParse(entry)
  if (!attestation.success) return { kind: 'unreadable', why: 'an entry has no DSSE envelope' }
  const { payload, payloadType } = attestation.data.bundle.dsseEnvelope
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return { kind: 'unreadable', why: `a payload is of type ${quote(payloadType)}` }
  }
  // Checked before decoding: base64 is 4 characters per 3 bytes.
  if (payload.length > Math.ceil(limits.maxPayloadBytes / 3) * 4) {
    return { kind: 'unreadable', why: `a payload is larger than ${limits.maxPayloadBytes} bytes` }
  }
  // Buffer.from skips characters outside the alphabet; a payload with any is not base64.
  if (!/^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/.test(payload)) {
    return { kind: 'unreadable', why: 'a payload is not base64' }
  }
  const json = parseJson(Buffer.from(payload, 'base64'))
  if (!json.ok)
    return { kind: 'unreadable', why: `a payload is not an in-toto statement: ${json.why}` }
  const statement = StatementSchema.safeParse(json.value)
  if (!statement.success) {
    return { kind: 'unreadable', why: 'a payload is not an in-toto statement with subjects' }
  }
  const subjects = statement.data.subject
  if (subjects.length > limits.maxSubjects) {
    return { kind: 'unreadable', why: `a statement has more than ${limits.maxSubjects} subjects` }
  }
  return judgeSubjects(subjects, statement.data.predicateType, target)
}

/** A subject naming our package and version with our sha512 matches; one naming another is a mismatch. */
function judgeSubjects(
  subjects: unknown[],
  predicateType: string,
  target: AttestationTarget,
): Reading {
  const ours: Array<{ name: string; sha512: unknown }> = []
  const others: string[] = []
  for (const raw of subjects) {
    const subject = SubjectSchema.safeParse(raw)
    if (!subject.success) return { kind: 'unreadable', why: 'a subject has no name or no digest' }
    const { name, digest } = subject.data
    const purl = parsePurl(name)
    if (purl && purl.name === target.name && purl.version === target.version) {
      ours.push({ name, sha512: digest.sha512 })
    } else {
      others.push(name)
    }
  }
  const expected = target.sha512.toLowerCase()
  if (ours.some((s) => typeof s.sha512 === 'string' && s.sha512.toLowerCase() === expected)) {
    return { kind: 'match', predicateType }
  }
  const wrong = ours.find((s) => typeof s.sha512 === 'string' && /^[0-9a-f]{128}$/i.test(s.sha512))
  if (wrong) {
    return {
      kind: 'mismatch',
      why:
        `An attestation (${clip(predicateType, 100)}) names ${clip(wrong.name, 200)} with sha512 ` +
        `${short(wrong.sha512 as string)}, but the tarball reviewed has sha512 ${short(expected)}.`,
    }
  }
  if (ours.length > 0) {
    return { kind: 'unreadable', why: `a subject for ${purlOf(target)} has no hex sha512 digest` }
  }
  return {
    kind: 'mismatch',
    why:
      `An attestation (${clip(predicateType, 100)}) is for ${others
        .slice(0, 3)
        .map((n) => clip(n, 200))
        .join(', ')}` + `${others.length > 3 ? ', ...' : ''}, not for ${purlOf(target)}.`,
  }
}

/**
 * `pkg:npm/<name>@<version>` as npm-package-arg's toPurl writes it (the
 * scope's `@` as `%40`), decoded; qualifiers (`?repository_url=`) and a
 * subpath are ignored. Null when it is not an npm purl.
 */
export function parsePurl(purl: string): { name: string; version: string } | null {
  const match = /^pkg:npm\/([^?#]+)@([^@/?#]+)(?:[?#].*)?$/.exec(purl)
  if (!match) return null
  try {
    return {
      name: decodeURIComponent(match[1] as string),
      version: decodeURIComponent(match[2] as string),
    }
  } catch {
    return null
  }
}

/** The purl npm's attestations name a package by. */
export function purlOf(target: { name: string; version: string }): string {
  return `pkg:npm/${target.name.replace(/^@/, '%40')}@${target.version}`
}

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; why: string } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return { ok: true, value: JSON.parse(text) }
  } catch (err) {
    return { ok: false, why: clip((err as Error).message ?? 'not JSON', 120) }
  }
}

function unavailable(detail: string, url: string | null = null): AttestationCheck {
  return { status: 'unavailable', detail, url }
}

function short(hex: string): string {
  return `${hex.slice(0, 16).toLowerCase()}…`
}

function quote(text: string): string {
  return JSON.stringify(clip(text, 200))
}

/** Untrusted text in a detail: one line, bounded. */
function clip(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? line.slice(0, max) + '…' : line
}
