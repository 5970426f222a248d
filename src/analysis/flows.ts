// Where data goes: a bounded, flow-insensitive taint analysis inside each
// function. Sources are the arguments of MCP tool handlers, the environment,
// credential files, machine details and network responses; sinks are network
// calls (URL, body, host), DNS lookups, sockets, WebSockets, and code
// execution. A value is tainted when it is built from a tainted name or a
// source expression; names live per function and closures see their
// enclosing functions' names; a local function called with tainted arguments
// gets tainted parameters (one extra pass). Every step is counted, so hostile
// code cannot make it run long.
import type { Node } from '@babel/types'
import {
  calleeName,
  childrenOf,
  isFunction,
  isProcessEnv,
  keyName,
  memberRoot,
  patternNames,
  propertyName,
  REQUIRE_NAMES,
  unwrap,
} from './ast.js'
import { hookOfAssignment, isExecCall, isWriteCall } from './capabilities.js'
import { resolveCallee, scopeChain, type FileContext, type ResolvedCallee } from './context.js'
import { foldLoose, foldString } from './fold.js'
import {
  CREDENTIAL_PATHS,
  FS_MODULES,
  HANDLER_KEYS,
  HANDLER_REGISTRATIONS,
  isSecretEnvName,
  READ_METHODS,
  SYSTEM_INFO_METHODS,
  VM_RUNNERS,
  WRITE_CALLS,
} from './knowledge.js'
import { findCredentialPath } from './literals.js'
import { constantDomain, hostIn, sinkKindOf, type NetworkSinkKind } from './sinks.js'

export type { NetworkSinkKind } from './sinks.js'

export type SourceKind =
  'tool-input' | 'env' | 'secret-env' | 'secret-file' | 'system-info' | 'intercepted' | 'network'

export type SinkKind = NetworkSinkKind | 'code' | 'exec' | 'file-write'

export interface Flow {
  source: SourceKind
  sink: SinkKind
  /** Where the data goes, when constant (for DNS: the constant domain under the computed name). */
  host: string | null
  /** The call as written, shortened: `fetch`, `https.request`, `dns.resolve4`. */
  via: string
  node: Node
}

const SOURCES: SourceKind[] = [
  'tool-input',
  'env',
  'secret-env',
  'secret-file',
  'system-info',
  'intercepted',
  'network',
]
const BIT = Object.fromEntries(SOURCES.map((s, i) => [s, 1 << i])) as Record<SourceKind, number>
const MAX_EXPRESSION_NODES = 400
const MAX_WORK = 2_000_000
/** Calls on a tainted value that put the argument into it. */
const MUTATORS: ReadonlySet<string> = new Set(['push', 'unshift', 'append', 'set', 'add', 'write'])

interface NetworkSink {
  kind: NetworkSinkKind
  host: string | null
  via: string
}

export class FlowTracker {
  private readonly names = new Map<Node, Map<string, number>>()
  private readonly params = new Map<Node, number>()
  private readonly entered = new Set<Node>()
  private readonly sinks = new Map<Node, NetworkSink | null>()
  private readonly sources = new Map<Node, number>()
  private readonly connected = new Map<string, string>()
  private readonly emitted = new Set<string>()
  private late = false
  private work = 0

  constructor(
    private readonly ctx: FileContext,
    private readonly emit: (flow: Flow) => void,
  ) {}

  /** Call for every node in source order; then `finish()`. */
  visit(node: Node): void {
    if (this.work > MAX_WORK) return
    if (isFunction(node)) return this.enter(node)
    switch (node.type) {
      case 'VariableDeclarator':
        if (node.init)
          this.bind(patternNames(node.id), this.scope(node), this.taintOf(node.init, node))
        return
      case 'AssignmentExpression':
        return this.visitAssignment(node)
      case 'ForOfStatement':
      case 'ForInStatement': {
        const left = node.left
        const target = left.type === 'VariableDeclaration' ? left.declarations[0]?.id : left
        if (target)
          this.bind(patternNames(target), this.scope(node), this.taintOf(node.right, node))
        return
      }
      case 'CallExpression':
      case 'NewExpression':
        return this.visitCall(node)
      case 'ImportExpression':
        return this.codeSink('code', [node.source], node, 'import')
      default:
        return
    }
  }

  /** A second pass when a function got tainted parameters after it was read. */
  finish(): void {
    if (!this.late) return
    this.late = false
    this.entered.clear()
    for (const node of this.ctx.order) this.visit(node)
  }

  private scope(node: Node): Node {
    return this.ctx.scopeOf(node) ?? node
  }

  private enter(fn: Node): void {
    this.entered.add(fn)
    const bits = this.params.get(fn)
    if (!bits || !isFunction(fn)) return
    this.bind(
      fn.params.flatMap((p) => patternNames(p)),
      fn,
      bits,
    )
  }

  private markParams(fn: Node | undefined, bits: number): void {
    if (!fn || !bits || !isFunction(fn)) return
    const old = this.params.get(fn) ?? 0
    if ((old | bits) === old) return
    this.params.set(fn, old | bits)
    if (this.entered.has(fn)) this.late = true
  }

  /** Names declared here get the taint; assignments go to the function that declares the name. */
  private bind(names: string[], scope: Node, bits: number): void {
    if (!bits) return
    for (const name of names) this.taintName(name, scope, bits)
  }

  private taintName(name: string, from: Node, bits: number): void {
    let target: Node | null = null
    for (const s of scopeChain(this.ctx, from)) {
      if (this.ctx.declared.get(s)?.has(name)) {
        target = s
        break
      }
    }
    // A name no function declares is a global (`process.env.X = v`, `module.exports = v`):
    // tainting `process` or `Object` would taint everything that uses them.
    if (!target) return
    let map = this.names.get(target)
    if (!map) this.names.set(target, (map = new Map()))
    map.set(name, (map.get(name) ?? 0) | bits)
  }

  private lookup(name: string, from: Node): number {
    for (const s of scopeChain(this.ctx, from))
      if (this.ctx.declared.get(s)?.has(name)) return this.names.get(s)?.get(name) ?? 0
    return 0
  }

  private visitAssignment(node: Extract<Node, { type: 'AssignmentExpression' }>): void {
    // `globalThis.fetch = (url, options) => ...`: the replacement receives every request.
    const right = unwrap(node.right)
    if (isFunction(right) && hookOfAssignment(this.ctx, node))
      this.markParams(right, BIT.intercepted)
    const bits = this.taintOf(node.right, node)
    if (!bits) return
    const left = node.left as Node
    if (left.type === 'ObjectPattern' || left.type === 'ArrayPattern') {
      return this.bind(patternNames(left), this.scope(node), bits)
    }
    const root = memberRoot(left)
    if (root.type === 'Identifier') this.taintName(root.name, this.scope(node), bits)
  }

  /** The sources an expression's value is built from. */
  private taintOf(expr: Node, at: Node): number {
    const scope = this.scope(at)
    let bits = 0
    const stack: Node[] = [expr]
    let steps = 0
    while (stack.length && steps++ < MAX_EXPRESSION_NODES) {
      const n = stack.pop()!
      this.work++
      switch (n.type) {
        case 'Identifier':
          bits |= this.lookup(n.name, scope)
          break
        case 'MemberExpression':
        case 'OptionalMemberExpression':
          if (isProcessEnv(n)) bits |= BIT.env
          else if (isProcessEnv(n.object)) {
            const name = keyName(n.property, n.computed)
            // process.env[key] carries what the key carries: a variable named in config is
            // not a dump, a key taken from Object.keys(process.env) is.
            if (name === null) stack.push(n.property)
            else if (isSecretEnvName(name)) bits |= BIT['secret-env']
          } else {
            stack.push(n.object)
            if (n.computed) stack.push(n.property)
          }
          break
        case 'CallExpression':
        case 'OptionalCallExpression':
        case 'NewExpression': {
          bits |= this.sourceOfCall(n)
          const callee = unwrap(n.callee as Node)
          if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression')
            stack.push(callee.object)
          for (const a of n.arguments) stack.push(a as Node)
          break
        }
        case 'ObjectProperty':
          stack.push(n.value as Node)
          if (n.computed) stack.push(n.key)
          break
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
        case 'ObjectMethod':
        case 'ClassExpression':
          break
        default:
          for (const child of childrenOf(n)) stack.push(child)
      }
    }
    return bits
  }

  /** What a call's result carries by itself: a response, a secret file, machine details. */
  private sourceOfCall(
    call: Extract<Node, { type: 'CallExpression' | 'OptionalCallExpression' | 'NewExpression' }>,
  ): number {
    const cached = this.sources.get(call)
    if (cached !== undefined) return cached
    let bits = 0
    const r = resolveCallee(this.ctx, call.callee as Node)
    const method = r.method ?? ''
    if (this.networkSink(call)) bits |= BIT.network
    else if (READ_METHODS.has(method) && (r.module === null || FS_MODULES.has(r.module))) {
      const path = call.arguments[0] ? foldLoose(call.arguments[0] as Node, this.ctx.consts) : ''
      if (findCredentialPath(path, CREDENTIAL_PATHS)) bits |= BIT['secret-file']
    } else if (SYSTEM_INFO_METHODS.has(method) && (r.module === 'os' || r.root === 'os')) {
      bits |= BIT['system-info']
    } else if (isExecCall(r)) {
      const command = call.arguments[0] ? foldLoose(call.arguments[0] as Node, this.ctx.consts) : ''
      if (findCredentialPath(command, CREDENTIAL_PATHS)) bits |= BIT['secret-file']
      if (/^\s*(?:env|printenv|set)\s*$/.test(command.slice(0, 40))) bits |= BIT.env
    }
    this.sources.set(call, bits)
    return bits
  }

  private visitCall(call: Extract<Node, { type: 'CallExpression' | 'NewExpression' }>): void {
    const callee = unwrap(call.callee as Node)
    const args = call.arguments as Node[]
    const name = calleeName(callee)
    const isMember =
      callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression'
    // Handlers of tools, prompts and resources: their parameters are what the model sends.
    if (isMember && name && HANDLER_REGISTRATIONS.has(name)) {
      for (const a of args) this.markHandler(a, BIT['tool-input'])
    }
    // Callbacks receive what the call produces (a response, a file) or what the receiver holds.
    let given = this.sourceOfCall(call)
    if (isMember) given |= this.taintOf(callee.object, call)
    if (given) for (const a of args) if (isFunction(a)) this.markParams(a, given)
    if (isMember && name && MUTATORS.has(name)) {
      const bits = args.reduce((b, a) => b | this.taintOf(a, call), 0)
      const root = memberRoot(callee.object)
      if (bits && root.type === 'Identifier') this.taintName(root.name, this.scope(call), bits)
    }
    if (name === 'assign' && isMember && args[0]) {
      const bits = args.slice(1).reduce((b, a) => b | this.taintOf(a, call), 0)
      const root = memberRoot(args[0])
      if (bits && root.type === 'Identifier') this.taintName(root.name, this.scope(call), bits)
    }
    // A local function called with tainted arguments.
    if (callee.type === 'Identifier') {
      const fn = this.ctx.functions.get(callee.name)
      if (fn)
        this.markParams(
          fn,
          args.reduce((b, a) => b | this.taintOf(a, call), 0),
        )
    }
    this.checkNetworkSink(call, args)
    this.checkCodeSink(call, callee, args)
  }

  private markHandler(arg: Node, bits: number): void {
    const a = unwrap(arg)
    if (isFunction(a)) return this.markParams(a, bits)
    if (a.type === 'Identifier') return this.markParams(this.ctx.functions.get(a.name), bits)
    if (a.type !== 'ObjectExpression') return
    for (const p of a.properties) {
      if (p.type === 'SpreadElement') continue
      const key = keyName(p.key, p.computed)
      if (!key || !HANDLER_KEYS.has(key)) continue
      this.markParams(p.type === 'ObjectMethod' ? p : unwrap(p.value as Node), bits)
    }
  }

  private checkNetworkSink(
    call: Extract<Node, { type: 'CallExpression' | 'NewExpression' }>,
    args: Node[],
  ): void {
    const sink = this.networkSink(call)
    if (!sink) return
    // A DNS lookup leaks through the name it looks up; other sinks through any argument.
    const data = sink.kind === 'dns' ? args.slice(0, 1) : args
    const bits = data.reduce((b, a) => b | this.taintOf(a, call), 0) & ~BIT.network
    this.report(bits, sink.kind, sink.host, sink.via, call)
  }

  private checkCodeSink(
    call: Extract<Node, { type: 'CallExpression' | 'NewExpression' }>,
    callee: Node,
    args: Node[],
  ): void {
    const r = resolveCallee(this.ctx, callee)
    const method = r.method ?? ''
    if (callee.type === 'Identifier' && r.module === null) {
      if (callee.name === 'eval' || callee.name === 'Function')
        return this.codeSink('code', args, call, callee.name)
      if (
        REQUIRE_NAMES.has(callee.name) &&
        args[0] &&
        foldString(args[0], this.ctx.consts) === null
      )
        return this.codeSink('code', args.slice(0, 1), call, 'require')
    }
    if (callee.type === 'Import') return this.codeSink('code', args.slice(0, 1), call, 'import')
    if (r.module === 'vm' && VM_RUNNERS.has(method))
      return this.codeSink('code', args.slice(0, 1), call, `vm.${method}`)
    if (method === '_compile') return this.codeSink('code', args.slice(0, 1), call, '_compile')
    if (isExecCall(r)) return this.codeSink('exec', args.slice(0, 2), call, this.via(callee))
    const dest = WRITE_CALLS[method]
    if (dest !== undefined && isWriteCall(r)) {
      return this.codeSink('file-write', args.slice(dest + 1, dest + 2), call, this.via(callee))
    }
    // response.pipe(fs.createWriteStream(path))
    if (
      method === 'pipe' &&
      args[0] &&
      (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression')
    ) {
      let target = unwrap(args[0])
      if (target.type === 'Identifier') target = unwrap(this.ctx.consts.get(target.name) ?? target)
      if (
        target.type === 'CallExpression' &&
        propertyName(unwrap(target.callee)) === 'createWriteStream'
      )
        this.codeSink('file-write', [callee.object], call, 'pipe to a file')
    }
  }

  private codeSink(
    kind: 'code' | 'exec' | 'file-write',
    data: Node[],
    at: Node,
    via: string,
  ): void {
    const bits = data.reduce((b, a) => b | this.taintOf(a, at), 0) & BIT.network
    this.report(bits, kind, null, via, at)
  }

  private report(bits: number, sink: SinkKind, host: string | null, via: string, node: Node): void {
    if (!bits) return
    for (const source of SOURCES) {
      if (!(bits & BIT[source])) continue
      const key = `${source}|${sink}|${host}|${node.start}`
      if (this.emitted.has(key)) continue
      this.emitted.add(key)
      this.emit({ source, sink, host, via, node })
    }
  }

  /** The network call a call is, with where it goes. */
  private networkSink(
    call: Extract<Node, { type: 'CallExpression' | 'OptionalCallExpression' | 'NewExpression' }>,
  ): NetworkSink | null {
    if (this.sinks.has(call)) return this.sinks.get(call)!
    this.sinks.set(call, null)
    const callee = unwrap(call.callee as Node)
    const r = resolveCallee(this.ctx, callee)
    const kind = sinkKindOf(r, callee, this.ctx.consts)
    if (!kind) return null
    const host = this.hostOf(call, kind, r)
    if (host && r.method === 'connect' && r.binding && r.root) this.connected.set(r.root, host)
    const sink = { kind, host, via: this.via(callee) }
    this.sinks.set(call, sink)
    return sink
  }

  private hostOf(
    call: Extract<Node, { type: 'CallExpression' | 'OptionalCallExpression' | 'NewExpression' }>,
    kind: NetworkSinkKind,
    r: ResolvedCallee,
  ): string | null {
    if (r.root && this.connected.has(r.root)) return this.connected.get(r.root)!
    const args = (call.arguments as Node[]).slice(0, 3)
    if (kind === 'dns' && args[0]) return constantDomain(foldLoose(args[0], this.ctx.consts, ' '))
    for (const arg of args) {
      const host = hostIn(this.ctx, arg, kind)
      if (host) return host
    }
    const made = r.binding?.madeBy
    if (
      made &&
      made !== call &&
      (made.type === 'CallExpression' || made.type === 'NewExpression')
    ) {
      const parent = resolveCallee(this.ctx, made.callee as Node)
      const parentKind = sinkKindOf(parent, unwrap(made.callee as Node), this.ctx.consts) ?? kind
      return this.hostOf(made, parentKind, { ...parent, binding: null })
    }
    return null
  }

  private via(callee: Node): string {
    const start = callee.start ?? 0
    const end = Math.min(callee.end ?? start, start + 60)
    return this.ctx.code.slice(start, end).replace(/\s+/g, '')
  }
}
