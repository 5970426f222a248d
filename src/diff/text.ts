// Turning package bytes into text we can diff and parse.
import { createHash } from 'node:crypto'

const BINARY_SNIFF_BYTES = 8000
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false })

/**
 * Each file is hashed once per run: pairing, diffing and the facts cache all
 * ask for the same hash of the same bytes.
 */
const hashes = new WeakMap<Uint8Array, string>()

/** Git's heuristic: a NUL byte near the start means binary. */
export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES)
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true
  return false
}

/** Decodes as UTF-8; invalid sequences become U+FFFD, a BOM is dropped. */
export function decodeText(bytes: Uint8Array): string {
  return decoder.decode(bytes)
}

export function hashBytes(bytes: Uint8Array): string {
  let hash = hashes.get(bytes)
  if (hash === undefined) {
    hash = createHash('sha256').update(bytes).digest('hex')
    hashes.set(bytes, hash)
  }
  return hash
}

/** Splits into lines the way editors number them (CRLF, LF and lone CR). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/)
}

/** Lines of a file, without the empty one after a final newline. */
export function fileLines(text: string): string[] {
  if (text === '') return []
  const lines = splitLines(text)
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}
