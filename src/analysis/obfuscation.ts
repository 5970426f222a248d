// Signs of code written not to be read: the identifiers and string-array
// rotation of javascript-obfuscator, long encoded blobs that decode to code,
// and long high-entropy strings. Every check is a linear scan with bounds.
import type { Node } from '@babel/types'
import { propertyName, unwrap } from './ast.js'

export type ObfuscationKind =
  'hex-identifiers' | 'string-array-rotation' | 'encoded-code' | 'high-entropy-string'

/** Distinct `_0x1a2b`-style names before we call a file obfuscated. */
const MIN_HEX_IDENTIFIERS = 8
/** Shorter strings are keys, hashes and ids, not payloads. */
export const MIN_BLOB = 200
const MAX_DECODE = 256 * 1024
/** Bits per character: English text is about 4.2, minified code about 5, base64 of random bytes 6. */
const HIGH_ENTROPY = 5.6
/** Words of code or shell in decoded text. */
const CODE_MARKERS = [
  'require(',
  'import(',
  'function',
  '=>',
  'eval(',
  'child_process',
  'process.env',
  'exec(',
  'http://',
  'https://',
  '/bin/sh',
  'powershell',
  'curl ',
  'fetch(',
]

export interface HexIdentifiers {
  offset: number
  count: number
  sample: string
}

/** `_0x3f2a`-style names in the text (where javascript-obfuscator puts them); null below the threshold. */
export function findHexIdentifiers(code: string): HexIdentifiers | null {
  const names = new Set<string>()
  let first = -1
  for (let at = code.indexOf('_0x'); at !== -1; at = code.indexOf('_0x', at + 3)) {
    if (at > 0 && isIdentifierChar(code.charCodeAt(at - 1))) continue
    let end = at + 3
    while (end < code.length && end - at < 12 && isHexDigit(code.charCodeAt(end))) end++
    if (end - at < 5 || (end < code.length && isIdentifierChar(code.charCodeAt(end)))) continue
    if (first === -1) first = at
    names.add(code.slice(at, end))
    if (names.size >= 1000) break
  }
  if (names.size < MIN_HEX_IDENTIFIERS) return null
  return { offset: first, count: names.size, sample: [...names].slice(0, 3).join(', ') }
}

/** `a.push(a.shift())` or `a['push'](a['shift']())`: the string-array rotation loop. */
export function isArrayRotation(node: Extract<Node, { type: 'CallExpression' }>): boolean {
  const callee = unwrap(node.callee)
  if (propertyName(callee) !== 'push' || callee.type !== 'MemberExpression') return false
  const arg = node.arguments[0]
  if (!arg || arg.type !== 'CallExpression') return false
  const inner = unwrap(arg.callee)
  if (propertyName(inner) !== 'shift' || inner.type !== 'MemberExpression') return false
  const a = unwrap(callee.object)
  const b = unwrap(inner.object)
  return a.type === 'Identifier' && b.type === 'Identifier' && a.name === b.name
}

export interface BlobVerdict {
  kind: 'encoded-code' | 'high-entropy-string'
  /** The decoded text's start, or the entropy. */
  detail: string
}

/** A long base64 or hex string that decodes to code or a URL, or a long high-entropy string. */
export function judgeBlob(value: string): BlobVerdict | null {
  if (value.length < MIN_BLOB || value.startsWith('data:')) return null
  const encoding = encodingOf(value)
  if (encoding) {
    const decoded = Buffer.from(value.slice(0, MAX_DECODE), encoding).toString('latin1')
    if (looksLikeCode(decoded))
      return { kind: 'encoded-code', detail: `${encoding} of: ${printable(decoded.slice(0, 120))}` }
  }
  // Text with spaces, or in other scripts (Unicode tables in bundles), is not a payload.
  if (!/^[\x21-\x7e]*$/.test(value.slice(0, 16384))) return null
  const bits = entropy(value.slice(0, 16384))
  return bits >= HIGH_ENTROPY
    ? { kind: 'high-entropy-string', detail: `${bits.toFixed(1)} bits per character` }
    : null
}

function encodingOf(value: string): 'base64' | 'hex' | null {
  let hex = true
  let b64 = true
  const end = Math.min(value.length, MAX_DECODE)
  for (let i = 0; i < end && (hex || b64); i++) {
    const c = value.charCodeAt(i)
    if (!isHexDigit(c)) hex = false
    if (!isBase64Char(c)) b64 = false
  }
  if (hex && value.length % 2 === 0) return 'hex'
  return b64 ? 'base64' : null
}

function looksLikeCode(text: string): boolean {
  let printableCount = 0
  const sample = text.slice(0, 4096)
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13) printableCount++
  }
  if (printableCount < sample.length * 0.9) return false
  const lower = text.slice(0, 65536).toLowerCase()
  return CODE_MARKERS.some((m) => lower.includes(m))
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (!s.length) return 0
  const counts = new Map<number, number>()
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  let bits = 0
  for (const n of counts.values()) {
    const p = n / s.length
    bits -= p * Math.log2(p)
  }
  return bits
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]+/g, ' ').trim()
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
}

function isBase64Char(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 43 ||
    c === 47 ||
    c === 61 ||
    c === 45 ||
    c === 95
  )
}

function isIdentifierChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36
  )
}
