// What a call or an assignment lets the code do: run a program (and which),
// write where files run later, or replace a global that every request or
// module load goes through. Pure functions of one node and the file context.
import type { Node } from '@babel/types'
import { keyName, memberRoot, propertyName, requiredModule, unwrap } from './ast.js'
import { resolveCallee, scopeChain, type FileContext, type ResolvedCallee } from './context.js'
import { foldLoose, UNKNOWN } from './fold.js'
import {
  DROPPER_COMMANDS,
  EXEC_CALLS,
  FS_MODULES,
  GLOBAL_OBJECTS,
  HOOKABLE_GLOBALS,
  HOOKABLE_LOADER_MEMBERS,
  HOOKABLE_NETWORK_MEMBERS,
  NODE_MODULES_CACHES,
  PERSISTENCE_PATHS,
  type PersistenceKind,
  SHELL_PROGRAMS,
  UNAMBIGUOUS_EXEC_METHODS,
  UNAMBIGUOUS_WRITE_METHODS,
  WRITE_CALLS,
} from './knowledge.js'

export { SENSITIVE_PROGRAMS } from './knowledge.js'

type Call = Extract<Node, { type: 'CallExpression' | 'NewExpression' }>

export interface ExecCall {
  /** The call as resolved: `child_process.exec`, `execa`. */
  via: string
  /** The command line with unknown parts as `…`; null when nothing of it is constant. */
  command: string | null
}

/** Methods whose second argument is the program's argument list. */
const ARGV_METHODS: ReadonlySet<string> = new Set([
  'spawn',
  'spawnSync',
  'execFile',
  'execFileSync',
  'execa',
  'execaSync',
  'sync',
  '',
])

export function execOf(ctx: FileContext, call: Call): ExecCall | null {
  const r = resolveCallee(ctx, call.callee as Node)
  if (!isExecCall(r)) return null
  const method = r.method ?? ''
  const args = call.arguments as Node[]
  const via = r.module ? `${r.module}${method ? '.' + method : ''}` : method
  if (!args[0]) return { via, command: null }
  let command = foldLoose(args[0], ctx.consts)
  if (method === 'fork') command = `node ${command}`
  const argv = args[1] ? unwrap(args[1]) : null
  if (ARGV_METHODS.has(method) && argv?.type === 'ArrayExpression') {
    const parts = argv.elements.slice(0, 50).map((e) => (e ? foldLoose(e as Node, ctx.consts) : ''))
    command = [command, ...parts].join(' ')
  } else if (ARGV_METHODS.has(method) && argv && argv.type !== 'ObjectExpression') {
    command = `${command} ${UNKNOWN}` // arguments computed elsewhere
  }
  command = command.slice(0, 1000)
  return { via, command: command.replace(/\u2026|\s/g, '') === '' ? null : command }
}

export interface PersistenceWrite {
  kind: PersistenceKind
  /** The destination path with unknown parts as `…`, home as `~`. */
  path: string
}

export function persistenceWriteOf(ctx: FileContext, call: Call): PersistenceWrite | null {
  const r = resolveCallee(ctx, call.callee as Node)
  if (!isWriteCall(r)) return null
  const dest = (call.arguments as Node[])[WRITE_CALLS[r.method ?? ''] ?? 0]
  if (!dest) return null
  const path = foldLoose(dest, ctx.consts).slice(0, 1000)
  const kind = persistenceKindOf(path)
  return kind ? { kind, path } : null
}

export function persistenceKindOf(path: string): PersistenceKind | null {
  const p = path.replace(/\\/g, '/').toLowerCase()
  const name = p.slice(p.lastIndexOf('/') + 1)
  for (const target of PERSISTENCE_PATHS) {
    if (target.name !== undefined && name !== target.name) continue
    if (target.part !== undefined && !p.includes(target.part)) continue
    if (target.kind === 'other-package' && NODE_MODULES_CACHES.some((c) => p.includes(c))) continue
    return target.kind
  }
  return null
}

/**
 * `globalThis.fetch = ...`, `XMLHttpRequest.prototype.open = ...`,
 * `https.request = ...`, `Module._load = ...`: the hooked target, or null.
 * A polyfill (`globalThis.fetch = nodeFetch` from an imported module) is not a hook.
 */
export function hookOfAssignment(
  ctx: FileContext,
  node: Extract<Node, { type: 'AssignmentExpression' }>,
): string | null {
  const target = hookTarget(ctx, node.left as Node, node)
  if (!target) return null
  return isModuleValue(ctx, node.right) ? null : target
}

/** `Object.defineProperty(globalThis, 'fetch', ...)` and `process.binding(...)`. */
export function hookOfCall(call: Call): string | null {
  const callee = unwrap(call.callee as Node)
  const name = propertyName(callee)
  const object = callee.type === 'MemberExpression' ? unwrap(callee.object) : null
  if (object?.type !== 'Identifier') return null
  if (object.name === 'process' && (name === 'binding' || name === '_linkedBinding'))
    return `process.${name}`
  if (object.name === 'Object' && (name === 'defineProperty' || name === 'defineProperties')) {
    const [where, prop] = call.arguments as Node[]
    const root = where ? unwrap(where) : null
    const key = prop?.type === 'StringLiteral' ? prop.value : null
    if (
      root?.type === 'Identifier' &&
      GLOBAL_OBJECTS.has(root.name) &&
      key &&
      HOOKABLE_GLOBALS.has(key)
    )
      return `${root.name}.${key}`
    if (root?.type === 'MemberExpression' && propertyName(root) === 'prototype') {
      const owner = unwrap(root.object)
      if (owner.type === 'Identifier' && owner.name === 'XMLHttpRequest')
        return `XMLHttpRequest.prototype.${key ?? '…'}`
    }
  }
  return null
}

function hookTarget(ctx: FileContext, left: Node, at: Node): string | null {
  const l = unwrap(left)
  if (l.type === 'Identifier') {
    // `fetch = ...` at any level, unless a local `fetch` is declared.
    if (!HOOKABLE_GLOBALS.has(l.name) || l.name === 'require') return null
    const scope = ctx.scopeOf(at)
    for (const s of scope ? scopeChain(ctx, scope) : [])
      if (ctx.declared.get(s)?.has(l.name)) return null
    return l.name
  }
  const path = memberPath(l)
  if (!path || path.length < 2) return null
  const [root, first, ...rest] = path as [string, string, ...string[]]
  if (GLOBAL_OBJECTS.has(root) && HOOKABLE_GLOBALS.has(first)) {
    if (rest.length === 0 || (first === 'XMLHttpRequest' && rest[0] === 'prototype'))
      return path.join('.')
  }
  if (root === 'XMLHttpRequest' && first === 'prototype') return path.join('.')
  if (root === 'require' && first === 'extensions') return path.join('.')
  if (root === 'process' && (first === 'binding' || first === 'dlopen')) return path.join('.')
  const module = ctx.resolveName(root)
  const mod = module && module.member === null && !module.madeBy ? module.module : null
  const isLoader = mod === 'module' || root === 'Module'
  if (isLoader && HOOKABLE_LOADER_MEMBERS.has(first)) return `Module.${path.slice(1).join('.')}`
  if (
    mod &&
    ['http', 'https', 'http2', 'net', 'tls', 'dns'].includes(mod) &&
    HOOKABLE_NETWORK_MEMBERS.has(first)
  )
    return `${mod}.${path.slice(1).join('.')}`
  return null
}

/** `globalThis.fetch`, `fetch`, `window.fetch.bind(window)`: the global whose original value is kept. */
export function capturedGlobal(value: Node): string | null {
  let v = unwrap(value)
  if (v.type === 'CallExpression' && propertyName(unwrap(v.callee)) === 'bind') {
    const callee = unwrap(v.callee)
    if (callee.type === 'MemberExpression') v = unwrap(callee.object)
  }
  if (v.type === 'Identifier') return HOOKABLE_GLOBALS.has(v.name) ? v.name : null
  const path = memberPath(v)
  if (!path || path.length !== 2) return null
  const [root, name] = path as [string, string]
  return GLOBAL_OBJECTS.has(root) && HOOKABLE_GLOBALS.has(name) ? name : null
}

/** `a.b['c'].d` -> ['a', 'b', 'c', 'd']; null when a part is computed or the root is not a name. */
function memberPath(node: Node): string[] | null {
  const parts: string[] = []
  let n = node
  for (let i = 0; i < 8; i++) {
    if (n.type === 'Identifier') return [n.name, ...parts.reverse()]
    if (n.type !== 'MemberExpression') return null
    const key = keyName(n.property, n.computed)
    if (key === null) return null
    parts.push(key)
    n = unwrap(n.object)
  }
  return null
}

/** An imported module or a member of one: what a polyfill assigns. */
function isModuleValue(ctx: FileContext, value: Node): boolean {
  const v = unwrap(value)
  if (v.type === 'LogicalExpression')
    return isModuleValue(ctx, v.left) || isModuleValue(ctx, v.right)
  if (requiredModule(v) !== null) return true
  if (v.type !== 'Identifier' && v.type !== 'MemberExpression') return false
  const root = memberRoot(v)
  return root.type === 'Identifier' && ctx.resolveName(root.name) !== null
}

/** The program of a command line, lower-cased, without directory or `.exe`; null when computed. */
export function commandProgram(command: string): string | null {
  const first = command.trimStart().split(/\s/, 1)[0] ?? ''
  if (first === '' || first.startsWith(UNKNOWN)) return null
  const bare = first.replace(/^["']|["']$/g, '')
  const name = bare.slice(Math.max(bare.lastIndexOf('/'), bare.lastIndexOf('\\')) + 1).toLowerCase()
  const program = name.endsWith('.exe') ? name.slice(0, -4) : name
  return program === '' || program.includes(UNKNOWN) ? null : program.slice(0, 60)
}

export interface DropperSignal {
  kind: 'remote-shell' | 'download-and-run' | 'interactive-shell'
  description: string
}

/** Whether a command line downloads and runs code, or gives a shell away. */
export function dropperSignal(command: string): DropperSignal | null {
  const c = command.toLowerCase().replace(/\s+/g, ' ').slice(0, 4096)
  const standalone = DROPPER_COMMANDS.standalone.find((s) => c.includes(s))
  if (standalone)
    return { kind: 'remote-shell', description: `Runs a shell payload (\`${standalone.trim()}\`)` }
  if (
    DROPPER_COMMANDS.downloaders.some((d) => c.includes(d)) &&
    DROPPER_COMMANDS.runners.some((r) => c.includes(r))
  )
    return { kind: 'download-and-run', description: 'Downloads code and runs it' }
  const program = commandProgram(c)
  const rest = c.trim().split(' ').slice(1)
  if (program && SHELL_PROGRAMS.has(program) && rest.every((a) => a === '-i' || a === '-l'))
    return { kind: 'interactive-shell', description: 'Starts a shell with no command to run' }
  return null
}

export function isExecCall(r: ResolvedCallee): boolean {
  const method = r.method ?? ''
  if (r.module !== null) return EXEC_CALLS[r.module]?.has(method) ?? false
  return UNAMBIGUOUS_EXEC_METHODS.has(method) && r.root !== null
}

export function isWriteCall(r: ResolvedCallee): boolean {
  const method = r.method ?? ''
  if (WRITE_CALLS[method] === undefined) return false
  if (r.module !== null) return FS_MODULES.has(r.module)
  return UNAMBIGUOUS_WRITE_METHODS.has(method)
}
