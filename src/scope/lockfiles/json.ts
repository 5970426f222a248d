// JSON and JSONC lockfile text to a syntax tree, with bounds: one iterative
// pass refuses deep nesting and duplicate keys before the (recursive) parser
// runs, and values come out as prototype-less objects, so a `__proto__` key
// is only ever a key.
import {
  createScanner,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
  type SyntaxKind,
} from 'jsonc-parser'
import { ReviewError } from '../../errors.js'
import { fail, LIMITS, lineLocator, quote, type ParseContext } from './common.js'

// jsonc-parser's SyntaxKind is a const enum, which isolatedModules cannot read.
const TOKEN = {
  openBrace: 1,
  closeBrace: 2,
  openBracket: 3,
  closeBracket: 4,
  comma: 5,
  colon: 6,
  string: 10,
  eof: 17,
} as const satisfies Record<string, SyntaxKind>

/** Tokens that are not values. */
const PUNCTUATION = new Set<SyntaxKind>([
  TOKEN.closeBrace,
  TOKEN.closeBracket,
  TOKEN.comma,
  TOKEN.colon,
])

export interface JsonDocument {
  ctx: ParseContext
  root: Node
  lineAt: (offset: number) => number
}

export interface JsonProperty {
  key: string
  /** 1-based line of the key. */
  line: number
  value: Node
}

/**
 * Parses lockfile JSON. `jsonc` allows comments and trailing commas (bun.lock);
 * without it the grammar is JSON.parse's, which npm uses.
 * Duplicate keys are refused: readers disagree on which one wins.
 */
export function parseJsonDocument(ctx: ParseContext, text: string, jsonc: boolean): JsonDocument {
  const lineAt = lineLocator(text)
  const duplicate = scanNestingAndKeys(ctx, text, lineAt)
  const errors: ParseError[] = []
  let root: Node | undefined
  try {
    root = parseTree(text, errors, {
      disallowComments: !jsonc,
      allowTrailingComma: jsonc,
      allowEmptyContent: false,
    })
  } catch (err) {
    fail(ctx, null, 'cannot parse the JSON', err)
  }
  const first = errors[0]
  if (first) {
    const what = first.offset >= text.length ? 'the file ends early' : 'invalid JSON'
    fail(ctx, lineAt(first.offset), `${what} (${printParseErrorCode(first.error)})`)
  }
  if (!root) fail(ctx, 1, 'the file is empty')
  if (duplicate) fail(ctx, duplicate.line, `duplicate key ${quote(duplicate.key)}`)
  return { ctx, root, lineAt }
}

/**
 * One pass over the tokens: the bounds on depth and values (throw), and the
 * first duplicate key (returned, reported only when the JSON parses).
 */
function scanNestingAndKeys(
  ctx: ParseContext,
  text: string,
  lineAt: (offset: number) => number,
): { key: string; line: number } | null {
  // One frame per open object (its keys so far) or array (null).
  const frames: Array<Set<string> | null> = []
  let expectKey = false
  let duplicate: { key: string; line: number } | null = null
  let values = 0
  const scanner = createScanner(text, true)
  for (let kind = scanner.scan(); kind !== TOKEN.eof; kind = scanner.scan()) {
    const top = frames[frames.length - 1]
    if (!PUNCTUATION.has(kind) && ++values > LIMITS.maxJsonValues) {
      throw new ReviewError(
        'ETOOLARGE',
        `${ctx.path}: more than ${LIMITS.maxJsonValues} JSON values, over the limit for a lockfile.`,
      )
    }
    if (kind === TOKEN.openBrace || kind === TOKEN.openBracket) {
      if (frames.length >= LIMITS.maxJsonDepth) {
        fail(
          ctx,
          lineAt(scanner.getTokenOffset()),
          `nested deeper than ${LIMITS.maxJsonDepth} levels`,
        )
      }
      frames.push(kind === TOKEN.openBrace ? new Set() : null)
      expectKey = kind === TOKEN.openBrace
    } else if (kind === TOKEN.closeBrace || kind === TOKEN.closeBracket) {
      frames.pop()
      expectKey = false
    } else if (kind === TOKEN.comma) {
      expectKey = top instanceof Set
    } else {
      if (kind === TOKEN.string && expectKey && top instanceof Set && !duplicate) {
        const key = scanner.getTokenValue()
        if (top.has(key)) duplicate = { key, line: lineAt(scanner.getTokenOffset()) }
        top.add(key)
      }
      expectKey = false
    }
  }
  return duplicate
}

/** Fails naming `what` when the node is not an object. */
export function checkObject(doc: JsonDocument, node: Node, what: string): void {
  if (node.type !== 'object') fail(doc.ctx, doc.lineAt(node.offset), `${what} is not an object`)
}

/** The properties of an object node; fails naming `what` when the node is not an object. */
export function properties(doc: JsonDocument, node: Node, what: string): JsonProperty[] {
  checkObject(doc, node, what)
  const result: JsonProperty[] = []
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? []
    if (key?.type !== 'string' || !value) {
      fail(doc.ctx, doc.lineAt(property.offset), `${what} has a property without a value`)
    }
    result.push({ key: String(key.value), line: doc.lineAt(key.offset), value })
  }
  return result
}

/** The value node of an object's property, or undefined. */
export function property(node: Node, key: string): Node | undefined {
  if (node.type !== 'object') return undefined
  for (const child of node.children ?? []) {
    const [k, value] = child.children ?? []
    if (k?.value === key) return value
  }
  return undefined
}

/**
 * A node as a plain value: objects without a prototype, so no key can reach one.
 * `omit` leaves out top-level keys that are walked separately (large subtrees).
 */
export function toValue(node: Node, omit: readonly string[] = []): unknown {
  switch (node.type) {
    case 'object': {
      const result = Object.create(null) as Record<string, unknown>
      for (const child of node.children ?? []) {
        const [key, value] = child.children ?? []
        if (!key || !value) continue
        const name = String(key.value)
        if (!omit.includes(name)) result[name] = toValue(value)
      }
      return result
    }
    case 'array':
      return (node.children ?? []).map((child) => toValue(child))
    default:
      return node.value as unknown
  }
}
