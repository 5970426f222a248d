// Constant folding: the value an expression has when it is built from
// literals, the way an attacker hides a literal from a grep.
import type { Node } from '@babel/types'

const MAX_DEPTH = 100
const MAX_LENGTH = 64 * 1024

/** `const NAME = <init>` bindings of a file; a name bound twice is ambiguous (null). */
export type ConstBindings = ReadonlyMap<string, Node | null>

export function foldString(node: Node, consts: ConstBindings): string | null {
  return fold(node, consts, 0, new Set())
}

function fold(node: Node, consts: ConstBindings, depth: number, seen: Set<string>): string | null {
  if (depth > MAX_DEPTH) return null
  const next = (n: Node | null | undefined): string | null =>
    n ? fold(n, consts, depth + 1, seen) : null
  switch (node.type) {
    case 'StringLiteral':
      return node.value
    case 'NumericLiteral':
      return String(node.value)
    case 'TemplateLiteral': {
      let out = node.quasis[0]?.value.cooked ?? ''
      for (let i = 0; i < node.expressions.length; i++) {
        const part = next(node.expressions[i] as Node)
        if (part === null) return null
        out += part + (node.quasis[i + 1]?.value.cooked ?? '')
      }
      return capped(out)
    }
    case 'BinaryExpression': {
      if (node.operator !== '+') return null
      const left = next(node.left as Node)
      if (left === null) return null
      const right = next(node.right)
      return right === null ? null : capped(left + right)
    }
    case 'Identifier': {
      const init = consts.get(node.name)
      if (!init || seen.has(node.name)) return null
      seen.add(node.name)
      const value = next(init)
      seen.delete(node.name)
      return value
    }
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'ParenthesizedExpression':
      return next(node.expression)
    case 'CallExpression':
      return foldCall(node, next)
    default:
      return null
  }
}

function foldCall(
  node: Extract<Node, { type: 'CallExpression' }>,
  next: (n: Node | null | undefined) => string | null,
): string | null {
  const callee = node.callee
  const args = node.arguments as Node[]
  // atob("...")
  if (callee.type === 'Identifier' && callee.name === 'atob' && args.length === 1) {
    const b64 = next(args[0])
    return b64 === null ? null : decodeBuffer(b64, 'base64')
  }
  if (callee.type !== 'MemberExpression' || callee.computed) return null
  const method = callee.property.type === 'Identifier' ? callee.property.name : null
  const object = callee.object
  // ["a", "b"].join("")
  if (method === 'join' && object.type === 'ArrayExpression') {
    const sep = args.length ? next(args[0]) : ','
    if (sep === null) return null
    const parts: string[] = []
    for (const el of object.elements) {
      const part = el ? next(el as Node) : ''
      if (part === null) return null
      parts.push(part)
    }
    return capped(parts.join(sep))
  }
  // String.fromCharCode(104, 105)
  if (
    method === 'fromCharCode' &&
    object.type === 'Identifier' &&
    object.name === 'String' &&
    args.every((a) => a.type === 'NumericLiteral')
  ) {
    return String.fromCharCode(...args.map((a) => (a as { value: number }).value))
  }
  // Buffer.from("...", "base64" | "hex").toString()
  if (method === 'toString' && object.type === 'CallExpression') {
    const inner = object.callee
    const innerArgs = object.arguments as Node[]
    if (
      inner.type === 'MemberExpression' &&
      inner.object.type === 'Identifier' &&
      inner.object.name === 'Buffer' &&
      inner.property.type === 'Identifier' &&
      inner.property.name === 'from' &&
      innerArgs.length === 2
    ) {
      const data = next(innerArgs[0])
      const encoding = next(innerArgs[1])
      if (data === null || (encoding !== 'base64' && encoding !== 'hex')) return null
      return decodeBuffer(data, encoding)
    }
  }
  return null
}

function decodeBuffer(data: string, encoding: 'base64' | 'hex'): string | null {
  if (data.length > MAX_LENGTH) return null
  return Buffer.from(data, encoding).toString('utf8')
}

function capped(s: string): string | null {
  return s.length > MAX_LENGTH ? null : s
}
