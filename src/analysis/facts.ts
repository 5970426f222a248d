// One pass over a file's syntax tree collects every fact the rules need, so
// each file is parsed and walked once, however many rules there are.
import type { File, Node } from '@babel/types'
import {
  calleeName,
  isNode,
  isProcessEnv,
  keyName,
  moduleName,
  propertyName,
  SKIP_KEYS,
  unwrap,
} from './ast.js'
import {
  capturedGlobal,
  execOf,
  hookOfAssignment,
  hookOfCall,
  persistenceWriteOf,
} from './capabilities.js'
import { indexFile, type FileContext, type Parent } from './context.js'
import { FlowTracker, type Flow, type SinkKind, type SourceKind } from './flows.js'
import { foldString } from './fold.js'
import {
  isSecretEnvName,
  NETWORK_GLOBALS,
  NETWORK_SINK_METHODS,
  RECIPIENT_FIELDS,
  RECIPIENT_METHODS,
  TARGET_KEYS,
  type PersistenceKind,
} from './knowledge.js'
import { scanLexically } from './lexical.js'
import { lineIndex, lineOf } from './lines.js'
import { addTextFacts } from './text-facts.js'
import { isArrayRotation, type ObfuscationKind } from './obfuscation.js'
import { parseCode } from './parse.js'
import { toolFromCall, toolFromObject, type ToolDefinition } from './tools.js'
import { revealHidden, type HiddenUnicodeKind } from './unicode.js'

export { isProcessEnv, moduleName } from './ast.js'
export type { SinkKind, SourceKind } from './flows.js'

export interface Located {
  line: number | null
  /** The source text the fact was read from, shortened. */
  evidence: string
}

export interface ModuleUse extends Located {
  module: string
}

export interface GlobalUse extends Located {
  name: string
}

export interface StringFact extends Located {
  value: string
  /** The string is where a request goes (argument of a network call, a `url:` option). */
  target: boolean
}

export interface RecipientFact extends Located {
  /** The field or method as written (`Bcc`, `addBcc`, `RCPT TO:`). */
  field: string
  /** Constant parts of the recipient value after folding; empty when all of it is computed. */
  constants: string[]
}

export type DynamicCodeKind =
  'eval' | 'Function' | 'string-timer' | 'computed-require' | 'computed-import'

export interface DynamicCode extends Located {
  kind: DynamicCodeKind
}

export interface ExecFact extends Located {
  /** The call as resolved: `child_process.exec`, `execa`. */
  via: string
  /** The command line, unknown parts as `…`; null when nothing of it is constant. */
  command: string | null
}

export interface WriteFact extends Located {
  kind: PersistenceKind
  /** The destination, unknown parts as `…`, the home directory as `~`. */
  path: string
}

export interface SecretEnvFact extends Located {
  name: string
}

export interface HookFact extends Located {
  /** What is replaced: `globalThis.fetch`, `XMLHttpRequest.prototype.open`, `Module._load`. */
  target: string
  /** The file keeps the original (`const original = globalThis.fetch`): an interception, not a polyfill. */
  wraps: boolean
}

export interface FlowFact extends Located {
  source: SourceKind
  sink: SinkKind
  host: string | null
  via: string
}

export type ToolFact = ToolDefinition & Located

export interface HiddenUnicodeFact extends Located {
  kind: HiddenUnicodeKind
  /** `U+202E U+2066`, never the characters themselves. */
  codePoints: string
}

export interface ObfuscationFact extends Located {
  kind: ObfuscationKind
  detail: string
}

export interface FileFacts {
  path: string
  /** False when the file could not be parsed and was scanned lexically instead. */
  parsed: boolean
  /** Why the analysis did not finish (time or memory budget): the package is not fully reviewed. */
  incomplete?: string
  modules: ModuleUse[]
  globals: GlobalUse[]
  strings: StringFact[]
  recipients: RecipientFact[]
  envDumps: Located[]
  dynamicCode: DynamicCode[]
  execs: ExecFact[]
  writes: WriteFact[]
  secretEnv: SecretEnvFact[]
  hooks: HookFact[]
  flows: FlowFact[]
  tools: ToolFact[]
  hiddenUnicode: HiddenUnicodeFact[]
  obfuscation: ObfuscationFact[]
}

/**
 * Distinct facts of one kind in one file. Past it the file is not fully
 * analysed (and its package unverified): a cap that dropped facts silently
 * would let a file hide its URL behind 20,000 harmless strings.
 */
export const MAX_FACTS_PER_KIND = 100_000
/** Nodes looked at for the constant pieces of one expression. */
const MAX_PART_NODES = 2000
/** Longer constant strings run as code are reported: they hide code from a reader of the source. */
const MAX_CONSTANT_CODE = 100
const MAX_EVIDENCE = 160

/** Per list of a file's facts: the keys of the facts it holds. */
const keysOfList = new WeakMap<object, Set<string>>()

/**
 * Adds a fact to `list` (one of `facts`' lists) unless the list holds one
 * that differs only in place (line, evidence): the rules key facts by what
 * they say, never by where, and the first place is the one reported. So a
 * bundle that repeats a string 10,000 times costs one fact, and what is left
 * is bounded by the distinct things the file says.
 */
export function addFact<T extends object>(facts: FileFacts, list: T[], item: T): void {
  addKeyed(facts, list, factKey(item), () => item)
}

/** addFact, with the evidence (never part of the key) built only for a fact not yet known. */
export function addFactWith<T extends { evidence: string }>(
  facts: FileFacts,
  list: T[],
  item: Omit<T, 'evidence'>,
  evidence: () => string,
): void {
  addKeyed(facts, list, factKey(item), () => ({ ...item, evidence: evidence() }) as T)
}

function addKeyed<T>(facts: FileFacts, list: T[], key: string, make: () => T): void {
  let keys = keysOfList.get(list)
  if (!keys) keysOfList.set(list, (keys = new Set()))
  if (keys.has(key)) return
  if (list.length >= MAX_FACTS_PER_KIND) {
    const kind = Object.entries(facts).find(([, v]) => v === list)?.[0] ?? 'facts'
    facts.incomplete ??= `it holds more than ${MAX_FACTS_PER_KIND} distinct ${kind}; the rest were not compared`
    return
  }
  keys.add(key)
  list.push(make())
}

function factKey(item: object): string {
  let key = ''
  for (const [name, value] of Object.entries(item)) {
    if (name === 'line' || name === 'evidence') continue
    key += `${name}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}\u0000`
  }
  return key
}

export function emptyFacts(path: string, parsed: boolean): FileFacts {
  return {
    path,
    parsed,
    modules: [],
    globals: [],
    strings: [],
    recipients: [],
    envDumps: [],
    dynamicCode: [],
    execs: [],
    writes: [],
    secretEnv: [],
    hooks: [],
    flows: [],
    tools: [],
    hiddenUnicode: [],
    obfuscation: [],
  }
}

export function collectFacts(path: string, code: string): FileFacts {
  const ast = parseCode(path, code)
  if (!ast) return collectLexicalFacts(path, code)
  const facts = new Collector(path, code, ast).run()
  addTextFacts(facts, code)
  return facts
}

/**
 * What a linear scan of the text finds (strings, requires, recipient-looking
 * keys, hidden characters): for code that does not parse, and for a file whose
 * analysis ran out of its budget.
 */
export function collectLexicalFacts(path: string, code: string): FileFacts {
  const facts = scanLexically(path, code)
  addTextFacts(facts, code)
  return facts
}

class Collector {
  private readonly facts: FileFacts
  private readonly ctx: FileContext
  private readonly flows: FlowTracker
  /** Globals whose original value the file keeps (`const original = globalThis.fetch`). */
  private readonly captured = new Set<string>()
  /** Where each line starts (lines.ts), built at the first fact. */
  private lineStarts: number[] | null = null

  constructor(path: string, code: string, ast: File) {
    this.facts = emptyFacts(path, true)
    this.ctx = indexFile(ast, code)
    this.flows = new FlowTracker(this.ctx, (flow) => this.addFlow(flow))
  }

  private get code(): string {
    return this.ctx.code
  }

  private get consts(): FileContext['consts'] {
    return this.ctx.consts
  }

  private parentOf(node: Node): Parent {
    return this.ctx.parentOf(node)
  }

  run(): FileFacts {
    for (const node of this.ctx.order) {
      this.visit(node)
      this.flows.visit(node)
    }
    this.flows.finish()
    for (const hook of this.facts.hooks)
      if (this.captured.has(hook.target.slice(hook.target.lastIndexOf('.') + 1))) hook.wraps = true
    return this.facts
  }

  private visit(node: Node): void {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        // `import type` loads nothing at run time.
        if (node.source && !isTypeOnly(node)) this.addModule(node.source.value, node)
        return
      case 'ImportExpression':
        return this.visitImport(node.source, node)
      case 'CallExpression':
      case 'NewExpression':
        return this.visitCall(node)
      case 'StringLiteral':
      case 'TemplateLiteral':
      case 'BinaryExpression':
        return this.visitString(node)
      case 'ObjectProperty':
        return this.visitProperty(node)
      case 'ObjectExpression':
        return this.addTool(toolFromObject(node, this.consts), node)
      case 'AssignmentExpression':
        return this.visitAssignment(node)
      case 'MemberExpression':
        return this.visitMember(node)
      case 'VariableDeclarator': {
        const captured = node.init ? capturedGlobal(node.init) : null
        if (captured) this.captured.add(captured)
        // const { GITHUB_TOKEN } = process.env
        if (node.id.type === 'ObjectPattern' && node.init && isProcessEnv(unwrap(node.init)))
          for (const p of node.id.properties)
            if (p.type === 'ObjectProperty') this.addSecretEnv(keyName(p.key, p.computed), p)
        return
      }
      case 'ForInStatement':
        if (isProcessEnv(node.right)) this.pushAt(this.facts.envDumps, {}, node)
        return
      default:
        return
    }
  }

  private visitImport(source: Node, node: Node): void {
    const name = foldString(source, this.consts)
    if (name === null) this.pushAt(this.facts.dynamicCode, { kind: 'computed-import' }, node)
    else this.addModule(name, node)
  }

  private visitCall(node: Extract<Node, { type: 'CallExpression' | 'NewExpression' }>): void {
    this.visitCapabilities(node)
    const callee = node.callee
    const args = node.arguments as Node[]
    const name = calleeName(callee)
    if (callee.type === 'Import') return this.visitImport(args[0] ?? callee, node)
    if (name && REQUIRE_CALLEES.has(name) && callee.type === 'Identifier' && args[0]) {
      const mod = foldString(args[0], this.consts)
      if (mod === null) this.pushAt(this.facts.dynamicCode, { kind: 'computed-require' }, node)
      else this.addModule(mod, node)
      return
    }
    if (callee.type === 'Identifier') {
      const readable = this.isShortConstantCode(args)
      if (callee.name === 'eval' && !readable)
        this.pushAt(this.facts.dynamicCode, { kind: 'eval' }, node)
      if (callee.name === 'Function' && !readable)
        this.pushAt(this.facts.dynamicCode, { kind: 'Function' }, node)
      if ((callee.name === 'setTimeout' || callee.name === 'setInterval') && isStringy(args[0]))
        this.pushAt(this.facts.dynamicCode, { kind: 'string-timer' }, node)
    }
    const global = globalName(callee)
    if (global && NETWORK_GLOBALS.has(global))
      this.pushAt(this.facts.globals, { name: global }, node)
    if (name && (NETWORK_SINK_METHODS.has(name) || NETWORK_GLOBALS.has(name) || name === 'URL')) {
      for (const arg of args.slice(0, 2)) {
        if (this.addString(arg, true)) continue
        // `'https://host/' + path`: the constant part still says where the request goes.
        for (const part of this.constantParts(arg))
          if (part.includes('://'))
            this.pushAt(this.facts.strings, { value: part, target: true }, arg)
      }
    }
    if (name && RECIPIENT_METHODS.has(name.toLowerCase()) && args[0]) {
      this.addRecipient(name, args[0], node)
    }
    // msg.bcc.push("x@y")
    if (
      callee.type === 'MemberExpression' &&
      name &&
      ['push', 'unshift', 'concat'].includes(name) &&
      args[0]
    ) {
      const field = propertyName(callee.object)
      if (field && isRecipientField(field)) this.addRecipient(field, args[0], node)
    }
    if (name && ENV_READERS.has(name) && args.some(isProcessEnv)) {
      this.pushAt(this.facts.envDumps, {}, node)
    }
  }

  /** `Function('return this')()`: code that is a short constant is there to read, not hidden. */
  private isShortConstantCode(args: Node[]): boolean {
    let length = 0
    for (const arg of args) {
      const value = foldString(arg, this.consts)
      if (value === null) return false
      length += value.length
    }
    return length <= MAX_CONSTANT_CODE
  }

  private visitCapabilities(
    node: Extract<Node, { type: 'CallExpression' | 'NewExpression' }>,
  ): void {
    const exec = execOf(this.ctx, node)
    if (exec) this.pushAt(this.facts.execs, { ...exec }, node)
    const write = persistenceWriteOf(this.ctx, node)
    if (write) this.pushAt(this.facts.writes, { ...write }, node)
    const hook = hookOfCall(node)
    if (hook) this.pushAt(this.facts.hooks, { target: hook, wraps: true }, node)
    if (node.type === 'CallExpression') {
      this.addTool(toolFromCall(node, this.consts), node)
      if (isArrayRotation(node))
        this.pushAt(
          this.facts.obfuscation,
          { kind: 'string-array-rotation', detail: 'an array of strings rotated at start-up' },
          node,
        )
    }
  }

  private addTool(tool: ToolDefinition | null, node: Node): void {
    if (tool) this.pushAt(this.facts.tools, { ...tool }, node)
  }

  private addSecretEnv(name: string | null, node: Node): void {
    if (name && isSecretEnvName(name)) this.pushAt(this.facts.secretEnv, { name }, node)
  }

  private addFlow(flow: Flow): void {
    const { node, ...rest } = flow
    this.pushAt(this.facts.flows, { ...rest }, node)
  }

  private visitString(node: Node): void {
    const parent = this.parentOf(node)
    // Fold the whole `a + b + c`, not every partial sum.
    if (node.type === 'BinaryExpression' && (node.operator !== '+' || isPlus(parent?.node))) return
    if (node.type === 'StringLiteral' && (isPlus(parent?.node) || parent?.key === 'source')) return
    if (node.type === 'StringLiteral' && parent?.node.type === 'TemplateLiteral') return
    if (!this.addString(node, false)) {
      // `${os.homedir()}/.aws/credentials`: keep the constant pieces.
      for (const part of this.constantParts(node))
        this.pushAt(this.facts.strings, { value: part, target: false }, node)
    }
  }

  private visitProperty(node: Extract<Node, { type: 'ObjectProperty' }>): void {
    const key = keyName(node.key, node.computed)
    if (!key) return
    if (isRecipientField(key)) this.addRecipient(key, node.value, node)
    if (TARGET_KEYS.has(key.toLowerCase())) this.addString(node.value, true)
  }

  private visitAssignment(node: Extract<Node, { type: 'AssignmentExpression' }>): void {
    const hook = hookOfAssignment(this.ctx, node)
    if (hook) this.pushAt(this.facts.hooks, { target: hook, wraps: false }, node)
    const captured = capturedGlobal(node.right)
    if (captured) this.captured.add(captured)
    const field = propertyName(node.left)
    if (field && isRecipientField(field)) this.addRecipient(field, node.right, node)
    if (field && TARGET_KEYS.has(field.toLowerCase())) this.addString(node.right, true)
  }

  private visitMember(node: Extract<Node, { type: 'MemberExpression' }>): void {
    if (isProcessEnv(node.object)) this.addSecretEnv(keyName(node.property, node.computed), node)
    if (!isProcessEnv(node)) return
    const parent = this.parentOf(node)
    // `${process.env}` or String(process.env): the whole environment as text.
    if (parent?.node.type === 'TemplateLiteral') this.pushAt(this.facts.envDumps, {}, node)
  }

  private addModule(spec: string, node: Node): void {
    this.pushAt(this.facts.modules, { module: moduleName(spec) }, node)
  }

  /** False when the expression is not a constant. */
  private addString(node: Node, target: boolean): boolean {
    const value = foldString(node, this.consts)
    if (value === null) return false
    if (value.length) this.pushAt(this.facts.strings, { value, target }, node)
    return true
  }

  private addRecipient(field: string, value: Node, at: Node): void {
    this.pushAt(this.facts.recipients, { field, constants: this.constantParts(value) }, at)
  }

  /** The constant pieces of an expression: `args.to + ",x@y.z"` gives [",x@y.z"]. */
  private constantParts(node: Node): string[] {
    const out: string[] = []
    const stack: Node[] = [node]
    // Bounded: nested templates would otherwise be walked once per level.
    for (let steps = 0; stack.length && out.length < 100 && steps < MAX_PART_NODES; steps++) {
      const n = stack.pop()!
      if (n.type === 'TemplateElement') {
        if (n.value.cooked) out.push(n.value.cooked)
        continue
      }
      const folded = foldString(n, this.consts)
      if (folded !== null) {
        out.push(folded)
        continue
      }
      for (const key of Object.keys(n)) {
        if (SKIP_KEYS.has(key) || key === 'key') continue
        const value = (n as unknown as Record<string, unknown>)[key]
        if (Array.isArray(value)) value.forEach((v) => isNode(v) && stack.push(v))
        else if (isNode(value)) stack.push(value)
      }
    }
    return out
  }

  /**
   * Adds a fact read at `node`. Its evidence (never part of the key) is cut
   * from the source only for a fact not yet known: a bundle repeats most
   * of what it says.
   */
  private pushAt<T extends Located>(list: T[], fields: Omit<T, keyof Located>, node: Node): void {
    const start = node.start ?? 0
    const line =
      typeof node.start === 'number'
        ? lineOf((this.lineStarts ??= lineIndex(this.code)), start)
        : null
    addFactWith(this.facts, list, { ...fields, line } as Omit<T, 'evidence'>, () => {
      const end = Math.min(node.end ?? start, start + MAX_EVIDENCE)
      // Hidden characters are named, not copied: evidence is read by people.
      const text = revealHidden(this.code.slice(start, end).replace(/\s+/g, ' '))
      return (node.end ?? 0) - start > MAX_EVIDENCE ? text + '…' : text
    })
  }
}

/** `require` and the names bundlers give it. */
const REQUIRE_CALLEES: ReadonlySet<string> = new Set(['require', '__require'])

/** Calls that read every variable of the environment when given `process.env`. */
const ENV_READERS = new Set([
  'stringify',
  'keys',
  'values',
  'entries',
  'getOwnPropertyNames',
  'inspect',
  'from',
])

function isTypeOnly(
  node: Extract<
    Node,
    { type: 'ImportDeclaration' | 'ExportAllDeclaration' | 'ExportNamedDeclaration' }
  >,
): boolean {
  if (node.type === 'ImportDeclaration') {
    if (node.importKind === 'type' || node.importKind === 'typeof') return true
    return (
      node.specifiers.length > 0 &&
      node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type')
    )
  }
  return node.exportKind === 'type'
}

function isPlus(node: Node | undefined): boolean {
  return node?.type === 'BinaryExpression' && node.operator === '+'
}

function isStringy(node: Node | undefined): boolean {
  return (
    node?.type === 'StringLiteral' ||
    node?.type === 'TemplateLiteral' ||
    node?.type === 'BinaryExpression'
  )
}

export function isRecipientField(name: string): boolean {
  return RECIPIENT_FIELDS.has(recipientField(name))
}

/** A recipient field as one name: `Bcc`, `bcc`, `h:Bcc` (Mailgun) and `reply_to`/`Reply-To` alike. */
export function recipientField(name: string): string {
  return name.toLowerCase().replace(/^h:/, '').replace(/[-_]/g, '')
}

/** `fetch`, `globalThis.fetch`, `window.fetch`, `self.fetch`. */
function globalName(callee: Node): string | null {
  if (callee.type === 'Identifier') return callee.name
  if (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    ['globalThis', 'window', 'self', 'global'].includes(callee.object.name)
  ) {
    return propertyName(callee)
  }
  return null
}
