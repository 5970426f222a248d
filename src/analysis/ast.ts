// Small, pure helpers over Babel syntax nodes, shared by the fact collectors.
import type { Node } from '@babel/types'

/** Node keys that hold positions, comments or tokens, never child syntax. */
export const SKIP_KEYS: ReadonlySet<string> = new Set([
  'loc',
  'start',
  'end',
  'extra',
  'range',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'comments',
  'tokens',
])

export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'
}

/** The direct child nodes of a node, in source order. */
export function childrenOf(node: Node): Node[] {
  const out: Node[] = []
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue
    const value = (node as unknown as Record<string, unknown>)[key]
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v)
    } else if (isNode(value)) out.push(value)
  }
  return out
}

export type FunctionNode = Extract<
  Node,
  {
    type:
      | 'FunctionDeclaration'
      | 'FunctionExpression'
      | 'ArrowFunctionExpression'
      | 'ObjectMethod'
      | 'ClassMethod'
      | 'ClassPrivateMethod'
  }
>

export function isFunction(node: Node | null | undefined): node is FunctionNode {
  switch (node?.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      return true
    default:
      return false
  }
}

export function keyName(key: Node, computed: boolean): string | null {
  if (key.type === 'Identifier' && !computed) return key.name
  if (key.type === 'StringLiteral') return key.value
  return null
}

/** `a.b` or `a["b"]` -> "b". */
export function propertyName(node: Node): string | null {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return null
  return keyName(node.property, node.computed)
}

/** Strips what does not change a value: parentheses, TS casts, `(0, f)` sequences. */
export function unwrap(node: Node): Node {
  let n = node
  for (let i = 0; i < 20; i++) {
    if (
      n.type === 'ParenthesizedExpression' ||
      n.type === 'TSAsExpression' ||
      n.type === 'TSSatisfiesExpression' ||
      n.type === 'TSNonNullExpression' ||
      n.type === 'TSTypeAssertion' ||
      n.type === 'AwaitExpression'
    ) {
      n = n.type === 'AwaitExpression' ? n.argument : n.expression
    } else if (n.type === 'SequenceExpression' && n.expressions.length) {
      n = n.expressions[n.expressions.length - 1]!
    } else return n
  }
  return n
}

/** The called function's own name: `fetch` for `fetch()`, `request` for `https.request()`. */
export function calleeName(callee: Node): string | null {
  const c = unwrap(callee)
  if (c.type === 'Identifier') return c.name
  return propertyName(c)
}

export function isProcessEnv(node: Node | undefined): boolean {
  return (
    (node?.type === 'MemberExpression' || node?.type === 'OptionalMemberExpression') &&
    node.object.type === 'Identifier' &&
    node.object.name === 'process' &&
    keyName(node.property, node.computed) === 'env'
  )
}

/** `require`, and the names bundlers and compilers give it. */
export const REQUIRE_NAMES: ReadonlySet<string> = new Set([
  'require',
  '__require',
  '__webpack_require__',
])

/** Interop wrappers TypeScript, Babel and esbuild put around `require(...)`. */
const INTEROP_WRAPPERS: ReadonlySet<string> = new Set([
  '__toESM',
  '__importDefault',
  '__importStar',
  '_interopRequireDefault',
  '_interopRequireWildcard',
  '__toCommonJS',
])

/** The module a `require('m')` (possibly wrapped by an interop helper) loads, when constant. */
export function requiredModule(node: Node): string | null {
  let n = unwrap(node)
  for (let i = 0; i < 3 && (n.type === 'CallExpression' || n.type === 'ImportExpression'); i++) {
    if (n.type === 'ImportExpression')
      return n.source.type === 'StringLiteral' ? n.source.value : null
    const callee = unwrap(n.callee)
    const arg = n.arguments[0]
    if (!arg) return null
    if (
      callee.type === 'Import' ||
      (callee.type === 'Identifier' && REQUIRE_NAMES.has(callee.name))
    )
      return arg.type === 'StringLiteral' ? arg.value : null
    if (callee.type === 'Identifier' && INTEROP_WRAPPERS.has(callee.name)) n = unwrap(arg as Node)
    else return null
  }
  return null
}

/** Names bound by a declaration pattern: `x`, `{ a, b: c }`, `[d, ...e]`, `f = 1`. */
export function patternNames(pattern: Node, max = 200): string[] {
  const out: string[] = []
  const stack: Node[] = [pattern]
  while (stack.length && out.length < max) {
    const n = stack.pop()!
    switch (n.type) {
      case 'Identifier':
        out.push(n.name)
        break
      case 'ObjectPattern':
        for (const p of n.properties) stack.push(p.type === 'RestElement' ? p.argument : p.value)
        break
      case 'ArrayPattern':
        for (const el of n.elements) if (el) stack.push(el)
        break
      case 'RestElement':
        stack.push(n.argument)
        break
      case 'AssignmentPattern':
        stack.push(n.left)
        break
      case 'TSParameterProperty':
        stack.push(n.parameter)
        break
      default:
        break
    }
  }
  return out
}

/** `a.b.c` -> `a` (an identifier), or the node at the root of a member chain. */
export function memberRoot(node: Node, maxDepth = 12): Node {
  let n = unwrap(node)
  for (let i = 0; i < maxDepth; i++) {
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') n = unwrap(n.object)
    else if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
      // `a.b().c`: the chain continues through a method call's receiver.
      const callee = unwrap(n.callee)
      if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return n
      n = unwrap(callee.object)
    } else return n
  }
  return n
}

/** `node:fs/promises` -> `fs`; `@scope/pkg/sub` -> `@scope/pkg`. */
export function moduleName(spec: string): string {
  const bare = spec.replace(/^node:/, '')
  const parts = bare.split('/')
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? bare)
}
