// Turning package bytes into text we can diff and parse.
import { createHash } from 'node:crypto'

const BINARY_SNIFF_BYTES = 8000
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false })

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
  return createHash('sha256').update(bytes).digest('hex')
}

/** Splits into lines the way editors number them (CRLF, LF and lone CR). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/)
}
