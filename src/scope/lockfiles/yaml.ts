// YAML lockfile text (pnpm, Yarn Berry) to plain values and key lines, with
// bounds. The failsafe schema reads every scalar as a string, so `1.10` stays
// "1.10" and no tag can build anything but strings, maps and lists; aliases
// expand at most LIMITS.maxYamlAliasCount times; duplicate keys are errors,
// as they are for pnpm's own reader. (We find them with a set per map: yaml's
// own uniqueKeys compares every key with every other, which takes seconds on
// a 20,000-entry map and hours on a hostile one.)
//
// yaml's document model takes about a kilobyte per value, so before building
// it we count the values with yaml's own lexer, which keeps nothing.
import {
  CST,
  isMap,
  isScalar,
  LineCounter,
  Lexer,
  parseAllDocuments,
  visit,
  type Document,
} from 'yaml'
import { ReviewError } from '../../errors.js'
import { fail, LIMITS, messageOf, quote, type ParseContext } from './common.js'

/** Lexer tokens that become a node: a scalar, a list item, an explicit key, a flow collection. */
const NODE_TOKENS = new Set([CST.SCALAR, '-', '?', '{', '['])

export interface YamlDocument {
  value: unknown
  /** The keys of the map at `path` (the top level for `[]`), in order, with their lines. */
  keys(path: string[]): Array<{ key: string; line: number }>
}

/** Every document in the text (pnpm 11+ may write two); none for an empty text. */
export function parseYamlDocuments(ctx: ParseContext, text: string): YamlDocument[] {
  checkValueCount(ctx, text)
  const lineCounter = new LineCounter()
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line
  let docs: Document.Parsed[]
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      schema: 'failsafe',
      merge: false,
      uniqueKeys: false,
      logLevel: 'silent',
    })
  } catch (err) {
    fail(ctx, null, `cannot parse the YAML: ${messageOf(err)}`, err)
  }
  return Array.from(docs, (doc) => {
    const error = doc.errors[0]
    if (error) fail(ctx, lineAt(error.pos[0]), `invalid YAML: ${messageOf(error)}`)
    refuseDuplicateKeys(ctx, doc, lineAt)
    return { value: toValue(ctx, doc), keys: (path) => keyLines(ctx, doc, path, lineAt) }
  })
}

function checkValueCount(ctx: ParseContext, text: string): void {
  let values = 0
  for (const token of new Lexer().lex(text)) {
    const first = token[0]
    if (!NODE_TOKENS.has(token) && first !== '"' && first !== "'" && first !== '*') continue
    if (++values > LIMITS.maxYamlValues) {
      throw new ReviewError(
        'ETOOLARGE',
        `${ctx.path}: more than ${LIMITS.maxYamlValues} YAML values, over the limit for a lockfile.`,
      )
    }
  }
}

function refuseDuplicateKeys(
  ctx: ParseContext,
  doc: Document.Parsed,
  lineAt: (offset: number) => number,
): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>()
      for (const { key } of map.items) {
        if (!isScalar(key)) continue
        const text = String(key.value)
        if (seen.has(text)) fail(ctx, lineAt(key.range?.[0] ?? 0), `duplicate key ${quote(text)}`)
        seen.add(text)
      }
    },
  })
}

function toValue(ctx: ParseContext, doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: LIMITS.maxYamlAliasCount })
  } catch (err) {
    // yaml throws a ReferenceError for an alias bomb; deep nesting can overflow the stack.
    fail(ctx, null, `cannot read the YAML: ${messageOf(err)}`, err)
  }
}

function keyLines(
  ctx: ParseContext,
  doc: Document.Parsed,
  path: string[],
  lineAt: (offset: number) => number,
): Array<{ key: string; line: number }> {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true)
  if (node === null || node === undefined) return []
  if (!isMap(node)) {
    const offset = (node as { range?: [number, number] }).range?.[0]
    fail(ctx, offset === undefined ? null : lineAt(offset), `${quote(path.join('.'))} is not a map`)
  }
  return node.items.map((pair) => {
    const key = pair.key
    if (!isScalar(key) || !key.range) {
      const offset = (key as { range?: [number, number] } | null)?.range?.[0]
      fail(ctx, offset === undefined ? null : lineAt(offset), 'a key is not a plain string')
    }
    return { key: String(key.value), line: lineAt(key.range[0]) }
  })
}
