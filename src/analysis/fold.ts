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

/** Stands for the parts of a value that are not constant, in `foldLoose` results. */
export const UNKNOWN = '\u2026'

const LOOSE_BUDGET = 2000
const PATH_MODULE_OBJECTS: ReadonlySet<string> = new Set(['path', 'posix', 'win32', 'path_1'])
const PATH_METHODS: ReadonlySet<string> = new Set(['join', 'resolve', 'normalize'])
const HOME_VARIABLES: ReadonlySet<string> = new Set(['HOME', 'USERPROFILE'])

/**
 * The shape of a value, its unknown parts replaced by `placeholder`: enough to
 * see that `path.join(os.homedir(), '.ssh', name)` is `~/.ssh/…` or that a
 * command is `curl … | sh`. The home directory folds to `~`.
 */
export function foldLoose(node: Node, consts: ConstBindings, placeholder = UNKNOWN): string {
  const state = { left: LOOSE_BUDGET, seen: new Set<string>(), placeholder }
  const out = loose(node, consts, 0, state)
  return collapse(out.length > MAX_LENGTH ? out.slice(0, MAX_LENGTH) : out, placeholder)
}

interface LooseState {
  left: number
  seen: Set<string>
  placeholder: string
}

function loose(node: Node, consts: ConstBindings, depth: number, st: LooseState): string {
  if (depth > MAX_DEPTH || --st.left < 0) return st.placeholder
  const next = (n: Node | null | undefined): string =>
    n ? loose(n, consts, depth + 1, st) : st.placeholder
  switch (node.type) {
    case 'StringLiteral':
      return node.value
    case 'NumericLiteral':
      return String(node.value)
    case 'TemplateLiteral': {
      let out = node.quasis[0]?.value.cooked ?? ''
      for (let i = 0; i < node.expressions.length && out.length < MAX_LENGTH; i++)
        out += next(node.expressions[i] as Node) + (node.quasis[i + 1]?.value.cooked ?? '')
      return out
    }
    case 'BinaryExpression':
      return node.operator === '+' ? next(node.left as Node) + next(node.right) : st.placeholder
    case 'LogicalExpression': {
      // `process.env.URL ?? 'https://api.example'`: the constant default is what we can know.
      const left = next(node.left)
      return left === st.placeholder ? next(node.right) : left
    }
    case 'Identifier': {
      const init = consts.get(node.name)
      if (!init || st.seen.has(node.name)) return st.placeholder
      st.seen.add(node.name)
      const value = next(init)
      st.seen.delete(node.name)
      return value
    }
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'ParenthesizedExpression':
    case 'AwaitExpression':
      return next(node.type === 'AwaitExpression' ? node.argument : node.expression)
    case 'MemberExpression':
      return isHomeVariable(node) ? '~' : (foldString(node, consts) ?? st.placeholder)
    case 'CallExpression':
      return looseCall(node, consts, next, st)
    default:
      return st.placeholder
  }
}

function looseCall(
  node: Extract<Node, { type: 'CallExpression' }>,
  consts: ConstBindings,
  next: (n: Node | null | undefined) => string,
  st: LooseState,
): string {
  const callee = node.callee
  const args = node.arguments as Node[]
  const method =
    callee.type === 'Identifier'
      ? callee.name
      : callee.type === 'MemberExpression' && callee.property.type === 'Identifier'
        ? callee.property.name
        : null
  if (method === 'homedir') return '~'
  if (method === 'tmpdir') return '/tmp'
  if (method && PATH_METHODS.has(method) && isPathModule(callee)) {
    return args
      .slice(0, 20)
      .map((a) => next(a))
      .join('/')
      .replace(/\/{2,}/g, '/')
  }
  if (
    method === 'join' &&
    callee.type === 'MemberExpression' &&
    callee.object.type === 'ArrayExpression'
  ) {
    const sep = args.length ? next(args[0]) : ','
    return callee.object.elements
      .slice(0, 200)
      .map((el) => (el ? next(el as Node) : ''))
      .join(sep)
  }
  return foldString(node, consts) ?? st.placeholder
}

function isPathModule(callee: Node): boolean {
  if (callee.type === 'Identifier') return true // `join(...)` imported from 'path'
  if (callee.type !== 'MemberExpression') return false
  const object = callee.object
  if (object.type === 'Identifier') return PATH_MODULE_OBJECTS.has(object.name)
  // `path.posix.join`, `require('path').join`
  return object.type === 'MemberExpression' || object.type === 'CallExpression'
}

function isHomeVariable(node: Extract<Node, { type: 'MemberExpression' }>): boolean {
  const env = node.object
  const name =
    node.property.type === 'Identifier' && !node.computed
      ? node.property.name
      : node.property.type === 'StringLiteral'
        ? node.property.value
        : null
  return (
    name !== null &&
    HOME_VARIABLES.has(name) &&
    env.type === 'MemberExpression' &&
    env.object.type === 'Identifier' &&
    env.object.name === 'process' &&
    env.property.type === 'Identifier' &&
    env.property.name === 'env'
  )
}

/** Runs of placeholders become one. */
function collapse(s: string, placeholder: string): string {
  if (!s.includes(placeholder)) return s
  const parts = s.split(placeholder)
  let out = parts[0]!
  for (let i = 1; i < parts.length; i++) {
    if (parts[i] === '' && i < parts.length - 1) continue
    out += placeholder + parts[i]
  }
  return out
}
