// One pass over a file's syntax tree collects every fact the rules need, so
// each file is parsed and walked once, however many rules there are.
import type { File, Node } from '@babel/types'
import { foldString, type ConstBindings } from './fold.js'
import {
  NETWORK_GLOBALS,
  NETWORK_SINK_METHODS,
  RECIPIENT_FIELDS,
  RECIPIENT_METHODS,
  TARGET_KEYS,
} from './knowledge.js'
import { parseCode } from './parse.js'
import { scanLexically } from './lexical.js'

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

export interface FileFacts {
  path: string
  /** False when the file could not be parsed and was scanned lexically instead. */
  parsed: boolean
  modules: ModuleUse[]
  globals: GlobalUse[]
  strings: StringFact[]
  recipients: RecipientFact[]
  envDumps: Located[]
  dynamicCode: DynamicCode[]
}

const MAX_FACTS_PER_KIND = 20_000
const MAX_EVIDENCE = 160

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
  }
}

export function collectFacts(path: string, code: string): FileFacts {
  const ast = parseCode(path, code)
  if (!ast) return scanLexically(path, code)
  return new Collector(path, code, ast).run()
}

type Parent = { node: Node; key: string } | null

class Collector {
  private readonly facts: FileFacts
  private readonly consts: ConstBindings
  private readonly parents = new Map<Node, Parent>()

  constructor(
    path: string,
    private readonly code: string,
    private readonly ast: File,
  ) {
    this.facts = emptyFacts(path, true)
    this.consts = new Map()
  }

  run(): FileFacts {
    const nodes = this.index()
    for (const node of nodes) this.visit(node)
    return this.facts
  }

  /** Iterative walk (attacker code can nest deeper than our stack): parents and const bindings. */
  private index(): Node[] {
    const order: Node[] = []
    const consts = this.consts as Map<string, Node | null>
    const stack: Array<[Node, Parent]> = [[this.ast.program, null]]
    while (stack.length) {
      const [node, parent] = stack.pop()!
      this.parents.set(node, parent)
      order.push(node)
      if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
        const decl = parent?.node
        const isConst = decl?.type === 'VariableDeclaration' && decl.kind === 'const'
        consts.set(node.id.name, isConst && !consts.has(node.id.name) ? node.init : null)
      }
      for (const key of Object.keys(node)) {
        if (SKIP_KEYS.has(key)) continue
        const value = (node as unknown as Record<string, unknown>)[key]
        if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i--)
            if (isNode(value[i])) stack.push([value[i] as Node, { node, key }])
        } else if (isNode(value)) {
          stack.push([value, { node, key }])
        }
      }
    }
    return order
  }

  private visit(node: Node): void {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        if (node.source) this.addModule(node.source.value, node)
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
      case 'AssignmentExpression':
        return this.visitAssignment(node)
      case 'MemberExpression':
        return this.visitMember(node)
      case 'ForInStatement':
        if (isProcessEnv(node.right)) this.push(this.facts.envDumps, this.located(node))
        return
      default:
        return
    }
  }

  private visitImport(source: Node, node: Node): void {
    const name = foldString(source, this.consts)
    if (name === null)
      this.push(this.facts.dynamicCode, { kind: 'computed-import', ...this.located(node) })
    else this.addModule(name, node)
  }

  private visitCall(node: Extract<Node, { type: 'CallExpression' | 'NewExpression' }>): void {
    const callee = node.callee
    const args = node.arguments as Node[]
    const name = calleeName(callee)
    if (callee.type === 'Import') return this.visitImport(args[0] ?? callee, node)
    if (name === 'require' && args[0]) {
      const mod = foldString(args[0], this.consts)
      if (mod === null)
        this.push(this.facts.dynamicCode, { kind: 'computed-require', ...this.located(node) })
      else this.addModule(mod, node)
      return
    }
    if (callee.type === 'Identifier') {
      if (callee.name === 'eval')
        this.push(this.facts.dynamicCode, { kind: 'eval', ...this.located(node) })
      if (callee.name === 'Function')
        this.push(this.facts.dynamicCode, { kind: 'Function', ...this.located(node) })
      if ((callee.name === 'setTimeout' || callee.name === 'setInterval') && isStringy(args[0]))
        this.push(this.facts.dynamicCode, { kind: 'string-timer', ...this.located(node) })
    }
    const global = globalName(callee)
    if (global && NETWORK_GLOBALS.has(global))
      this.push(this.facts.globals, { name: global, ...this.located(node) })
    if (name && (NETWORK_SINK_METHODS.has(name) || NETWORK_GLOBALS.has(name) || name === 'URL')) {
      for (const arg of args.slice(0, 2)) this.addString(arg, true)
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
      this.push(this.facts.envDumps, this.located(node))
    }
  }

  private visitString(node: Node): void {
    const parent = this.parents.get(node)
    // Fold the whole `a + b + c`, not every partial sum.
    if (node.type === 'BinaryExpression' && (node.operator !== '+' || isPlus(parent?.node))) return
    if (node.type === 'StringLiteral' && (isPlus(parent?.node) || parent?.key === 'source')) return
    if (node.type === 'StringLiteral' && parent?.node.type === 'TemplateLiteral') return
    if (!this.addString(node, false)) {
      // `${os.homedir()}/.aws/credentials`: keep the constant pieces.
      for (const part of this.constantParts(node))
        this.push(this.facts.strings, { value: part, target: false, ...this.located(node) })
    }
  }

  private visitProperty(node: Extract<Node, { type: 'ObjectProperty' }>): void {
    const key = keyName(node.key, node.computed)
    if (!key) return
    if (isRecipientField(key)) this.addRecipient(key, node.value, node)
    if (TARGET_KEYS.has(key.toLowerCase())) this.addString(node.value, true)
  }

  private visitAssignment(node: Extract<Node, { type: 'AssignmentExpression' }>): void {
    const field = propertyName(node.left)
    if (field && isRecipientField(field)) this.addRecipient(field, node.right, node)
    if (field && TARGET_KEYS.has(field.toLowerCase())) this.addString(node.right, true)
  }

  private visitMember(node: Extract<Node, { type: 'MemberExpression' }>): void {
    if (!isProcessEnv(node)) return
    const parent = this.parents.get(node)
    // `${process.env}` or String(process.env): the whole environment as text.
    if (parent?.node.type === 'TemplateLiteral') this.push(this.facts.envDumps, this.located(node))
  }

  private addModule(spec: string, node: Node): void {
    this.push(this.facts.modules, { module: moduleName(spec), ...this.located(node) })
  }

  /** False when the expression is not a constant. */
  private addString(node: Node, target: boolean): boolean {
    const value = foldString(node, this.consts)
    if (value === null) return false
    if (value.length) this.push(this.facts.strings, { value, target, ...this.located(node) })
    return true
  }

  private addRecipient(field: string, value: Node, at: Node): void {
    this.push(this.facts.recipients, {
      field,
      constants: this.constantParts(value),
      ...this.located(at),
    })
  }

  /** The constant pieces of an expression: `args.to + ",x@y.z"` gives [",x@y.z"]. */
  private constantParts(node: Node): string[] {
    const out: string[] = []
    const stack: Node[] = [node]
    while (stack.length && out.length < 100) {
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

  private located(node: Node): Located {
    const line = node.loc?.start.line ?? null
    const start = node.start ?? 0
    const end = Math.min(node.end ?? start, start + MAX_EVIDENCE)
    const text = this.code.slice(start, end).replace(/\s+/g, ' ')
    return { line, evidence: (node.end ?? 0) - start > MAX_EVIDENCE ? text + '…' : text }
  }

  private push<T>(list: T[], item: T): void {
    if (list.length < MAX_FACTS_PER_KIND) list.push(item)
  }
}

const SKIP_KEYS = new Set([
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

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'
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
  return RECIPIENT_FIELDS.has(name.toLowerCase().replace(/^h:/, '').replace(/[-_]/g, ''))
}

function keyName(key: Node, computed: boolean): string | null {
  if (key.type === 'Identifier' && !computed) return key.name
  if (key.type === 'StringLiteral') return key.value
  return null
}

/** `a.b` or `a["b"]` -> "b". */
function propertyName(node: Node): string | null {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return null
  return keyName(node.property, node.computed)
}

/** The called function's own name: `fetch` for `fetch()`, `request` for `https.request()`. */
function calleeName(callee: Node): string | null {
  if (callee.type === 'Identifier') return callee.name
  return propertyName(callee)
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

export function isProcessEnv(node: Node | undefined): boolean {
  return (
    node?.type === 'MemberExpression' &&
    node.object.type === 'Identifier' &&
    node.object.name === 'process' &&
    keyName(node.property, node.computed) === 'env'
  )
}

/** `node:fs/promises` -> `fs`; `@scope/pkg/sub` -> `@scope/pkg`. */
export function moduleName(spec: string): string {
  const bare = spec.replace(/^node:/, '')
  const parts = bare.split('/')
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? bare)
}
