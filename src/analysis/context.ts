// What the fact collectors know about a file before they visit it: one
// iterative walk (attacker code can nest deeper than our stack) records each
// node's parent and function, the constants, the names each function declares,
// and which local names stand for a module (`import x from 'm'`,
// `const { exec } = require('child_process')`).
import type { File, Node } from '@babel/types'
import type { ConstBindings } from './fold.js'
import { CLIENT_FACTORIES } from './knowledge.js'
import {
  isFunction,
  isNode,
  keyName,
  memberRoot,
  moduleName,
  patternNames,
  propertyName,
  requiredModule,
  SKIP_KEYS,
  unwrap,
} from './ast.js'

export type Parent = { node: Node; key: string } | null

/** A local name that stands for a module, or for one of its members. */
export interface ModuleBinding {
  module: string
  /** `exec` for `import { exec } from 'child_process'`; null for the module itself. */
  member: string | null
  /** Set for values made by the module (`axios.create()`, `https.request()`, `new net.Socket()`). */
  madeBy?: Node
}

export interface FileContext {
  code: string
  consts: ConstBindings
  /** The node's parent and the key it sits under; null for the program and nodes the walk did not reach. */
  parentOf(node: Node): Parent
  /** The innermost function of a node (the program for top-level code). */
  scopeOf(node: Node): Node | undefined
  /** The function enclosing each function. */
  scopeParent: Map<Node, Node>
  /** Names declared in each function: parameters, variables, inner function names. */
  declared: Map<Node, Set<string>>
  /** Function declarations and `const f = () => {}` of the file, by name (first wins). */
  functions: Map<string, Node>
  /** Every node, in source order (pre-order). */
  order: Node[]
  resolveName(name: string): ModuleBinding | null
}

/** The module and method a call goes to: `{ module: 'fs', method: 'readFile' }` for `fs.promises.readFile`. */
export interface ResolvedCallee {
  module: string | null
  /** The root binding, when it is a value made by the module (`client` of `axios.create()`). */
  binding: ModuleBinding | null
  /** The identifier at the root of the callee, if any. */
  root: string | null
  method: string | null
}

/**
 * Each node's position in `order`, kept on the node itself: a file has up to
 * millions of nodes, and Maps keyed by them cost more than parsing the file
 * (hashing every node, and the garbage of their tables).
 */
const INDEX: unique symbol = Symbol('mcp-diff-review.node-index')
type Indexed = Node & { [INDEX]?: number }

export function indexFile(ast: File, code: string): FileContext {
  const scopeParent = new Map<Node, Node>()
  const declared = new Map<Node, Set<string>>()
  const consts = new Map<string, Node | null>()
  const inits = new Map<string, Node>()
  const imports = new Map<string, ModuleBinding>()
  const functions = new Map<string, Node>()
  // Per node, by its index in `order`: its parent's index, its key there, its scope's index.
  const order: Node[] = []
  const parentAt: number[] = []
  const keyAt: string[] = []
  const scopeAt: number[] = []
  const declare = (scope: Node, names: string[]): void => {
    let set = declared.get(scope)
    if (!set) declared.set(scope, (set = new Set()))
    for (const n of names) set.add(n)
  }
  const program = ast.program
  // Parallel stacks, no tuple per node: the node, its parent's index, its key there, its scope's index.
  const nodes: Node[] = [program]
  const parents: number[] = [-1]
  const keys: string[] = ['']
  const scopes: number[] = [0]
  while (nodes.length) {
    const node = nodes.pop()! as Indexed
    const parentIndex = parents.pop()!
    const scopeIndex = scopes.pop()!
    const index = order.length
    node[INDEX] = index
    order.push(node)
    parentAt.push(parentIndex)
    keyAt.push(keys.pop()!)
    scopeAt.push(scopeIndex)
    const scope = order[scopeIndex]!
    let inner = scopeIndex
    if (isFunction(node)) {
      inner = index
      scopeParent.set(node, scope)
      declare(
        node,
        node.params.flatMap((p) => patternNames(p)),
      )
      if (node.type === 'FunctionDeclaration' && node.id) {
        declare(scope, [node.id.name])
        if (!functions.has(node.id.name)) functions.set(node.id.name, node)
      }
    } else if (node.type === 'VariableDeclarator') {
      declare(scope, patternNames(node.id))
      if (node.init)
        recordDeclarator(node, order[parentIndex], { consts, inits, imports, functions })
    } else if (node.type === 'CatchClause' && node.param) {
      declare(scope, patternNames(node.param))
    } else if (node.type === 'ImportDeclaration') {
      const module = moduleName(node.source.value)
      for (const s of node.specifiers) {
        const member = s.type === 'ImportSpecifier' ? keyName(s.imported, false) : null
        imports.set(s.local.name, { module, member: member === 'default' ? null : member })
      }
    }
    for (const key of Object.keys(node)) {
      if (SKIP_KEYS.has(key)) continue
      const value = (node as unknown as Record<string, unknown>)[key]
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          if (!isNode(value[i])) continue
          nodes.push(value[i] as Node)
          parents.push(index)
          keys.push(key)
          scopes.push(inner)
        }
      } else if (isNode(value)) {
        nodes.push(value)
        parents.push(index)
        keys.push(key)
        scopes.push(inner)
      }
    }
  }
  /** The node's index in this file's `order`, or -1 for a node of another tree. */
  const indexOf = (node: Node): number => {
    const i = (node as Indexed)[INDEX]
    return i !== undefined && order[i] === node ? i : -1
  }
  const parentOf = (node: Node): Parent => {
    const i = indexOf(node)
    const p = i < 0 ? -1 : parentAt[i]!
    return p < 0 ? null : { node: order[p]!, key: keyAt[i]! }
  }
  const scopeOf = (node: Node): Node | undefined => {
    const i = indexOf(node)
    return i < 0 ? undefined : order[scopeAt[i]!]
  }
  const resolving = new Set<string>()
  const resolveName = (name: string): ModuleBinding | null => {
    const direct = imports.get(name)
    if (direct) return direct
    const init = inits.get(name)
    if (!init || resolving.has(name) || resolving.size > 8) return null
    resolving.add(name)
    try {
      return madeByModule(init, resolveName)
    } finally {
      resolving.delete(name)
    }
  }
  return {
    code,
    consts,
    parentOf,
    scopeOf,
    scopeParent,
    declared,
    functions,
    order,
    resolveName,
  }
}

interface DeclaratorMaps {
  consts: Map<string, Node | null>
  inits: Map<string, Node>
  imports: Map<string, ModuleBinding>
  functions: Map<string, Node>
}

function recordDeclarator(
  node: Extract<Node, { type: 'VariableDeclarator' }>,
  decl: Node | undefined,
  maps: DeclaratorMaps,
): void {
  const init = node.init!
  const isConst = decl?.type === 'VariableDeclaration' && decl.kind === 'const'
  if (node.id.type === 'Identifier') {
    const name = node.id.name
    maps.consts.set(name, isConst && !maps.consts.has(name) ? init : null)
    if (!maps.inits.has(name)) maps.inits.set(name, init)
    if (isFunction(init) && !maps.functions.has(name)) maps.functions.set(name, init)
  }
  // `const x = require('m')`, `const { a, b: c } = require('m')`, `const y = require('m').y`
  const value = unwrap(init)
  const direct = requiredModule(value)
  const viaMember = value.type === 'MemberExpression' ? requiredModule(unwrap(value.object)) : null
  const spec = direct ?? viaMember
  if (spec === null) return
  const module = moduleName(spec)
  const member = direct === null ? propertyName(value) : null
  if (node.id.type === 'Identifier') {
    maps.imports.set(node.id.name, { module, member: member === 'default' ? null : member })
  } else if (node.id.type === 'ObjectPattern') {
    for (const p of node.id.properties) {
      if (p.type !== 'ObjectProperty' || p.value.type !== 'Identifier') continue
      const key = keyName(p.key, p.computed)
      maps.imports.set(p.value.name, { module, member: key === 'default' ? member : key })
    }
  }
}

/** `axios.create()`, `https.request(...)`, `new net.Socket()`: clients, requests and sockets a module makes. */
function madeByModule(
  init: Node,
  resolveName: (name: string) => ModuleBinding | null,
): ModuleBinding | null {
  const value = unwrap(init)
  if (value.type !== 'CallExpression' && value.type !== 'NewExpression') return null
  const callee = unwrap(value.callee as Node)
  const root = memberRoot(callee)
  if (root.type !== 'Identifier') return null
  // `new WebSocket(url)` of the global WebSocket: a socket like one of the `ws` module.
  if (value.type === 'NewExpression' && callee === root && root.name === 'WebSocket')
    return resolveName(root.name) ? null : { module: 'ws', member: null, madeBy: value }
  const binding = resolveName(root.name)
  if (!binding) return null
  const method = callee === root ? (binding.member ?? '') : (propertyName(callee) ?? '')
  // `axios(...)` returns a response, `new WebSocket(...)` a socket.
  if (method === '' && value.type !== 'NewExpression' && binding.module !== 'socket.io-client')
    return null
  if (!CLIENT_FACTORIES.has(method)) return null
  return { module: binding.module, member: null, madeBy: value }
}

/** Which module and method a callee reaches. */
export function resolveCallee(ctx: FileContext, callee: Node): ResolvedCallee {
  const c = unwrap(callee)
  if (c.type === 'Identifier') {
    const binding = ctx.resolveName(c.name)
    return {
      module: binding?.module ?? null,
      binding: binding?.madeBy ? binding : null,
      root: c.name,
      // `exec` for an imported `exec`; null when the module itself is called (`axios()`).
      method: binding ? binding.member : c.name,
    }
  }
  const method = propertyName(c)
  const root = memberRoot(c)
  const rootModule = requiredModule(root)
  if (rootModule !== null)
    return { module: moduleName(rootModule), binding: null, root: null, method }
  if (root.type !== 'Identifier') return { module: null, binding: null, root: null, method }
  const binding = ctx.resolveName(root.name)
  return {
    module: binding?.module ?? null,
    binding: binding?.madeBy ? binding : null,
    root: root.name,
    method,
  }
}

/** Walks from a function scope outwards, nearest first (bounded). */
export function* scopeChain(ctx: FileContext, scope: Node): Generator<Node> {
  let s: Node | undefined = scope
  for (let i = 0; s && i < 64; i++) {
    yield s
    s = ctx.scopeParent.get(s)
  }
}
