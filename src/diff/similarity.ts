// How much of one file's content another file has, as git measures it for
// rename detection (diffcore-delta.c): the bytes of the chunks both have,
// over the size of the larger file. Git chunks text by line; here a chunk
// also ends where a rolling hash of the last bytes says so (content-defined
// chunking, as in rsync and FastCDC), so a minified one-line bundle is cut
// into many small chunks, and an insertion shifts none of the others.

export interface Fingerprint {
  size: number
  /** Chunk hash -> bytes of content in chunks with that hash. */
  chunks: Map<number, number>
}

/** A chunk is cut after this many bytes at the latest, and not before the minimum. */
const MIN_CHUNK = 16
const MAX_CHUNK = 256
/** The top 6 bits of the gear hash are 0 once in 64 bytes: chunks of ~64 bytes. */
const CUT_SHIFT = 26
const NEWLINE = 0x0a

/** 256 fixed pseudo-random words for the gear hash (xorshift32, fixed seed). */
const GEAR: Int32Array = (() => {
  const table = new Int32Array(256)
  let s = 0x9e3779b9 | 0
  for (let i = 0; i < 256; i++) {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    table[i] = s
  }
  return table
})()

export function fingerprint(bytes: Uint8Array): Fingerprint {
  const chunks = new Map<number, number>()
  let gear = 0
  let hash = 0x811c9dc5 | 0 // FNV-1a of the current chunk
  let length = 0
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    gear = ((gear << 1) + GEAR[byte]!) | 0
    hash = Math.imul(hash ^ byte, 0x01000193)
    length++
    const cut =
      byte === NEWLINE || length >= MAX_CHUNK || (length >= MIN_CHUNK && gear >>> CUT_SHIFT === 0)
    if (!cut) continue
    chunks.set(hash, (chunks.get(hash) ?? 0) + length)
    gear = 0
    hash = 0x811c9dc5 | 0
    length = 0
  }
  if (length > 0) chunks.set(hash, (chunks.get(hash) ?? 0) + length)
  return { size: bytes.length, chunks }
}

/**
 * 0 to 1: the bytes `a` and `b` share, over the larger size. `work.steps` is
 * charged one step per chunk looked up.
 */
export function similarity(a: Fingerprint, b: Fingerprint, work: { steps: number }): number {
  const larger = Math.max(a.size, b.size)
  if (larger === 0) return 1
  const [small, big] = a.chunks.size <= b.chunks.size ? [a, b] : [b, a]
  work.steps -= small.chunks.size
  let shared = 0
  for (const [hash, bytes] of small.chunks) {
    const other = big.chunks.get(hash)
    if (other !== undefined) shared += Math.min(bytes, other)
  }
  return shared / larger
}
