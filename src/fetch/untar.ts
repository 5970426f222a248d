// Read a package tarball into memory, the way npm would extract it, without
// touching the filesystem. The archive is hostile: every size is bounded, and
// anything npm would not install as a regular file is reported, not kept.
//
// The tar format itself is parsed by node-tar's Parser, the code npm and
// pacote use, so header quirks (PAX, GNU long names, old-style directories,
// invalid blocks) are read exactly as npm reads them. What we add is npm's
// extraction policy (pacote's `tarxOptions` and node-tar's `Unpack`):
// strip the first path component, extract only regular files, never follow
// links, never write outside the package.
import { basename } from 'node:path'
import { constants as zlib, gunzipSync, gzipSync, zstdDecompressSync } from 'node:zlib'
import { Parser, type ReadEntry } from 'tar'
import { ReviewError } from '../errors.js'
import {
  DEFAULT_LIMITS,
  type ArchiveIssue,
  type ExtractLimits,
  type PackageContents,
} from './types.js'

// node-tar sniffs these (parse.js) and so does npm; brotli it does not sniff.
const GZIP_MAGIC = [0x1f, 0x8b]
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd]

/** How much tar we hand the parser at once, so a stop takes effect early. */
const WRITE_SLICE = 1024 * 1024

/** How hard inflatePrefix looks for the longest prefix (each step inflates up to the bound). */
const PREFIX_BISECT_STEPS = 4

/** Longest entry name we quote in a message. */
const MAX_SHOWN_NAME = 300

/**
 * Read a .tgz (or a plain or zstd-compressed tar) into a map of files.
 * Pure and synchronous. Throws EARCHIVE when the bytes are not an archive npm
 * could extract; a limit never throws, it sets `incomplete`.
 */
export function readTarball(
  tgz: Uint8Array,
  limits: ExtractLimits = DEFAULT_LIMITS,
): PackageContents {
  const input = Buffer.from(tgz.buffer, tgz.byteOffset, tgz.byteLength)
  const { tar, cutShort } = decompress(input, limits.maxTotalBytes)
  const state = newState(limits)
  parseTar(tar, state, cutShort !== null)
  // Reasons are given in archive order: a limit met before the cut comes first.
  if (cutShort) state.incomplete ??= cutShort
  return { files: state.files, archiveIssues: state.archiveIssues, incomplete: state.incomplete }
}

// ---------------------------------------------------------------------------
// Decompression, bounded

interface Decompressed {
  tar: Buffer
  /** Why the tar is only a prefix of the archive, or null when it is whole. */
  cutShort: string | null
}

type Inflate = (buf: Buffer, opts: { maxOutputLength?: number; finishFlush?: number }) => Buffer

function decompress(input: Buffer, maxTotalBytes: number): Decompressed {
  const max = Math.max(1, maxTotalBytes)
  if (startsWith(input, GZIP_MAGIC)) {
    return inflateBounded(input, max, 'gzip', gunzipSync, zlib.Z_SYNC_FLUSH)
  }
  if (startsWith(input, ZSTD_MAGIC)) {
    return inflateBounded(input, max, 'zstd', zstdDecompressSync, zlib.ZSTD_e_continue)
  }
  if (input.length > max) {
    return { tar: input.subarray(0, max), cutShort: totalBytesReason(max) }
  }
  return { tar: input, cutShort: null }
}

function inflateBounded(
  input: Buffer,
  max: number,
  format: string,
  inflate: Inflate,
  partialFlush: number,
): Decompressed {
  try {
    // maxOutputLength makes zlib stop (and throw) as soon as the output passes
    // the bound: a bomb is never inflated further than that.
    return { tar: inflate(input, { maxOutputLength: max }), cutShort: null }
  } catch (err) {
    if (!isTooLarge(err)) {
      throw new ReviewError('EARCHIVE', `not a readable ${format} archive: ${errorMessage(err)}`, {
        cause: err,
      })
    }
  }
  return { tar: inflatePrefix(input, max, inflate, partialFlush), cutShort: totalBytesReason(max) }
}

/**
 * A long prefix of the inflated archive, within `max` bytes, so the files
 * before the bound are still reviewed. Inflating a prefix of the compressed
 * input with a partial flush yields a prefix of the output, so we search for
 * the longest input prefix whose output fits: gallop from what fits at
 * deflate's worst ratio (~1032:1), then bisect a bounded number of times.
 * Every try is stopped by maxOutputLength, so memory stays near `max`.
 */
function inflatePrefix(input: Buffer, max: number, inflate: Inflate, partialFlush: number): Buffer {
  const attempt = (n: number): Buffer | null => {
    try {
      return inflate(input.subarray(0, n), { maxOutputLength: max, finishFlush: partialFlush })
    } catch {
      return null // too large, or cut inside a header: either way too far
    }
  }
  // Invariant: the prefix of length `lo` fits (giving `best`), `hi` does not.
  let lo = 0
  let hi = input.length
  let best: Buffer = Buffer.alloc(0)
  for (let probe = Math.max(64, Math.floor(max / 1100)); probe < hi; probe *= 2) {
    const out = attempt(probe)
    if (out === null) {
      hi = probe
      break
    }
    lo = probe
    best = out
  }
  for (let i = 0; i < PREFIX_BISECT_STEPS && hi - lo > 1; i++) {
    const mid = lo + Math.floor((hi - lo) / 2)
    const out = attempt(mid)
    if (out === null) {
      hi = mid
    } else {
      lo = mid
      best = out
    }
  }
  return best
}

function totalBytesReason(max: number): string {
  return `the archive inflates to more than maxTotalBytes (${max} bytes); only the files before that point were read`
}

function isTooLarge(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE'
}

function startsWith(buf: Buffer, magic: number[]): boolean {
  return buf.length >= magic.length && magic.every((byte, i) => buf[i] === byte)
}

// ---------------------------------------------------------------------------
// Tar parsing

interface ReadState {
  limits: ExtractLimits
  files: Map<string, Uint8Array>
  archiveIssues: ArchiveIssue[]
  incomplete: string | null
  /** Files kept plus issues recorded: bounded by maxFiles. */
  entries: number
  /** maxFiles was hit: the rest of the archive is not read. */
  stopped: boolean
  invalidBlocks: number
  /** Raw paths of the `.npmignore` files seen so far (pacote's `sawIgnores`). */
  npmignores: Set<string>
}

function newState(limits: ExtractLimits): ReadState {
  return {
    limits,
    files: new Map(),
    archiveIssues: [],
    incomplete: null,
    entries: 0,
    stopped: false,
    invalidBlocks: 0,
    npmignores: new Set(),
  }
}

function parseTar(tar: Buffer, state: ReadState, cutShort: boolean): void {
  let done = false
  let unrecognized = false
  let truncatedEntry: ReadEntry | null = null
  let aborted: unknown = null

  const parser = new Parser({
    // Without a file name node-tar sniffs gzip and zstd by magic bytes; the
    // tar we hand it is already inflated, so turn the second sniff off.
    zstd: false,
    brotli: false,
    onReadEntry: (entry) => onEntry(entry, state, (e) => e === truncatedEntry),
  })
  parser.on('ignoredEntry', (entry: ReadEntry) => onIgnoredEntry(entry, state))
  parser.on('warn', (code: string, message: string, data: { entry?: ReadEntry }) => {
    if (code === 'TAR_ENTRY_INVALID') state.invalidBlocks++
    if (code === 'TAR_BAD_ARCHIVE' && message.startsWith('Truncated input')) {
      truncatedEntry = data.entry ?? null
    }
    if (code === 'TAR_BAD_ARCHIVE' && message.startsWith('Unrecognized')) unrecognized = true
  })
  parser.on('error', (err: unknown) => (aborted = err))
  parser.on('end', () => (done = true))

  // A tar whose first bytes are gzip's magic would be sniffed as gzip a second
  // time. npm never re-sniffs inflated data, so wrap it in a stored (level 0)
  // gzip stream: the parser inflates that and sees the tar exactly as npm does.
  const data = startsWith(tar, GZIP_MAGIC) ? gzipSync(tar, { level: 0 }) : tar
  for (let off = 0; off < data.length && !state.stopped && aborted === null; off += WRITE_SLICE) {
    parser.write(data.subarray(off, off + WRITE_SLICE))
  }
  if (state.stopped) return
  if (aborted === null) parser.end()

  if (aborted !== null) {
    throw new ReviewError('EARCHIVE', `not a readable tar archive: ${errorMessage(aborted)}`, {
      cause: aborted,
    })
  }
  if (!done) {
    throw new ReviewError('EINTERNAL', 'the tar parser did not finish synchronously')
  }
  // Cut short by the bound, the prefix may hold no whole entry: that is an
  // incomplete read, not proof that the bytes are not an archive.
  if (unrecognized && !cutShort) {
    throw new ReviewError('EARCHIVE', 'not a gzip or tar archive: no valid tar entry found')
  }
  if (truncatedEntry !== null && !cutShort) {
    const name = (truncatedEntry as ReadEntry).path
    throw new ReviewError(
      'EARCHIVE',
      `the archive is truncated in the middle of ${show(name)}; npm would refuse to extract it`,
    )
  }
  if (state.invalidBlocks > 0) {
    state.archiveIssues.push({
      entry: '(archive)',
      kind: 'other-type',
      detail:
        `${state.invalidBlocks} invalid tar header block(s) (bad checksum or missing fields) ` +
        'were skipped, as npm skips them; a package built by npm pack has none',
    })
  }
}

function onEntry(entry: ReadEntry, state: ReadState, isTruncated: (e: ReadEntry) => boolean): void {
  if (state.stopped) return void entry.resume()
  switch (entry.type) {
    case 'Directory':
    case 'GNUDumpDir':
      // npm does not extract directory entries either; files create their parents.
      return void entry.resume()
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return readFileEntry(entry, state, isTruncated)
    default:
      addIssue(state, entry.path, typeIssue(entry))
      return void entry.resume()
  }
}

/** Entries node-tar itself skips: unknown types and oversized PAX headers. */
function onIgnoredEntry(entry: ReadEntry, state: ReadState): void {
  if (state.stopped) return
  const detail = entry.meta
    ? `${entry.type} header of ${entry.size} bytes is larger than node-tar reads (1 MiB) and was ignored, as npm ignores it`
    : `entry of unsupported tar type "${entry.type}" (${entry.header.typeKey}) was not extracted; npm skips it too`
  addIssue(state, entry.path, { kind: 'other-type', detail })
}

function typeIssue(entry: ReadEntry): Omit<ArchiveIssue, 'entry'> {
  switch (entry.type) {
    case 'SymbolicLink':
      return {
        kind: 'symlink',
        detail: `symbolic link to ${show(entry.linkpath ?? '')}; not extracted (npm skips links in package tarballs)`,
      }
    case 'Link':
      return {
        kind: 'hardlink',
        detail: `hard link to ${show(entry.linkpath ?? '')}; not extracted (npm skips links in package tarballs)`,
      }
    case 'CharacterDevice':
    case 'BlockDevice':
      return {
        kind: 'device',
        detail: `${entry.type === 'CharacterDevice' ? 'character' : 'block'} device; not extracted (npm refuses devices)`,
      }
    case 'FIFO':
      return { kind: 'other-type', detail: 'FIFO (named pipe); not extracted (npm refuses FIFOs)' }
    default:
      return { kind: 'other-type', detail: `entry of type ${entry.type}; not extracted` }
  }
}

function readFileEntry(
  entry: ReadEntry,
  state: ReadState,
  isTruncated: (e: ReadEntry) => boolean,
): void {
  const name = installedName(entry.path, state)
  if (name === null) return void entry.resume()
  const where = resolveEntryPath(name)
  if (where === null) return void entry.resume()
  if ('problem' in where) {
    addIssue(state, entry.path, { kind: where.problem, detail: where.detail })
    return void entry.resume()
  }
  const { limits } = state
  if (!countEntry(state, entry.path)) return void entry.resume()
  if (where.depth > limits.maxPathDepth) {
    setIncomplete(
      state,
      `path too deep: ${show(where.path)} has ${where.depth} segments, more than maxPathDepth (${limits.maxPathDepth}); it was not read`,
    )
    return void entry.resume()
  }
  if (entry.size > limits.maxFileBytes) {
    setIncomplete(
      state,
      `file too large: ${show(where.path)} is ${entry.size} bytes, more than maxFileBytes (${limits.maxFileBytes}); it was not read`,
    )
    return void entry.resume()
  }

  const chunks: Buffer[] = []
  let size = 0
  entry.on('end', () => {
    // A file cut short by the end of the input is not what npm would install.
    if (isTruncated(entry)) return
    // concat copies, so no file keeps the whole inflated archive alive.
    state.files.set(where.path, Buffer.concat(chunks, size))
  })
  entry.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    size += chunk.length
  })
}

/**
 * The name npm installs a file entry under: pacote's extract filter renames a
 * `.gitignore` to `.npmignore` (npm pack did the reverse), and drops it when a
 * `.npmignore` came first. Null when dropped.
 */
function installedName(raw: string, state: ReadState): string | null {
  const base = basename(raw)
  if (base === '.npmignore') state.npmignores.add(raw)
  if (base !== '.gitignore') return raw
  const renamed = raw.replace(/\.gitignore$/, '.npmignore')
  return state.npmignores.has(renamed) ? null : renamed
}

function addIssue(state: ReadState, entry: string, issue: Omit<ArchiveIssue, 'entry'>): void {
  if (!countEntry(state, entry)) return
  state.archiveIssues.push({ entry, ...issue })
}

/** Count an entry against maxFiles; false (and stop reading) past the bound. */
function countEntry(state: ReadState, name: string): boolean {
  if (state.entries >= state.limits.maxFiles) {
    setIncomplete(
      state,
      `too many files: the archive has more than maxFiles (${state.limits.maxFiles}) entries; reading stopped at ${show(name)}`,
    )
    state.stopped = true
    return false
  }
  state.entries++
  return true
}

function setIncomplete(state: ReadState, reason: string): void {
  state.incomplete ??= reason
}

// ---------------------------------------------------------------------------
// Paths

export type EntryPath =
  | { path: string; depth: number }
  | { problem: 'absolute-path' | 'parent-traversal'; detail: string }

/**
 * Where npm would put a file entry inside the package: the first component is
 * stripped whatever its name (node-tar's `strip: 1`), `\` is a separator (as
 * on Windows), and `.` and empty segments vanish. Absolute paths and `..`
 * segments anywhere are refused. Null when nothing is left (the root itself).
 */
export function resolveEntryPath(raw: string): EntryPath | null {
  const p = raw.replaceAll('\\', '/')
  if (isAbsolute(p)) return { problem: 'absolute-path', detail: 'absolute path; not extracted' }
  const parts = p.split('/')
  if (parts.includes('..')) {
    return { problem: 'parent-traversal', detail: 'path contains ".."; not extracted' }
  }
  const rest = parts.slice(1)
  if (isAbsolute(rest.join('/'))) {
    return {
      problem: 'absolute-path',
      detail: 'absolute path once the first component is stripped; not extracted',
    }
  }
  const segments = rest.filter((s) => s !== '' && s !== '.')
  if (segments.length === 0) return null
  return { path: segments.join('/'), depth: segments.length }
}

/** POSIX root, UNC path, or a Windows drive (`C:`, which node-tar strips too). */
function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:/.test(p)
}

function show(name: string): string {
  const short = name.length > MAX_SHOWN_NAME ? name.slice(0, MAX_SHOWN_NAME) + '…' : name
  return JSON.stringify(short)
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
