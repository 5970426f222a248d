// The MCP tools a file defines, with what the model reads about them: the
// SDK's `server.tool(name, description?, schema?, handler)` and
// `server.registerTool(name, { title, description, inputSchema }, handler)`,
// and tool objects `{ name, description, inputSchema | parameters | execute }`
// as listed by `ListToolsRequestSchema` handlers or passed to FastMCP's `addTool`.
import type { Node } from '@babel/types'
import { isFunction, keyName, propertyName, unwrap } from './ast.js'
import { foldString, type ConstBindings } from './fold.js'
import { TOOL_DEFINITION_KEYS } from './knowledge.js'

export interface ToolDefinition {
  name: string
  /** The description after folding; null when it is not constant. */
  description: string | null
  /** Parameter names, when the schema is an object literal. */
  params: string[]
}

const MAX_NAME = 128
const TOOL_NAME = /^[\w.:/ -]{1,128}$/

type Call = Extract<Node, { type: 'CallExpression' }>
type ObjectLiteral = Extract<Node, { type: 'ObjectExpression' }>

/** `server.tool(...)` and `server.registerTool(...)`. */
export function toolFromCall(call: Call, consts: ConstBindings): ToolDefinition | null {
  const method = propertyName(unwrap(call.callee))
  if (method !== 'tool' && method !== 'registerTool') return null
  const args = call.arguments as Node[]
  const last = args[args.length - 1]
  if (args.length < 2 || !last || !(isFunction(last) || last.type === 'Identifier')) return null
  const name = toolName(args[0]!, consts)
  if (name === null) return null
  if (method === 'registerTool') {
    const config = objectOf(args[1]!, consts)
    if (!config) return { name, description: null, params: [] }
    const props = propertiesOf(config)
    const description = props.get('description')
    const schema = props.get('inputSchema')
    return {
      name,
      description: description ? textOf(description, consts) : null,
      params: schema ? paramsOf(schema, consts) : [],
    }
  }
  let description: string | null = null
  let params: string[] = []
  for (const arg of args.slice(1, -1)) {
    if (description === null) {
      const text = textOf(arg, consts)
      if (text !== null) {
        description = text
        continue
      }
    }
    if (!params.length) params = paramsOf(arg, consts)
  }
  return { name, description, params }
}

/** `{ name: 'x', description: '...', inputSchema: {...} }` and its FastMCP and OpenAI-style kin. */
export function toolFromObject(node: ObjectLiteral, consts: ConstBindings): ToolDefinition | null {
  const props = propertiesOf(node)
  const nameNode = props.get('name')
  const descriptionNode = props.get('description')
  if (!nameNode || !descriptionNode) return null
  if (![...TOOL_DEFINITION_KEYS].some((k) => props.has(k))) return null
  const name = toolName(nameNode, consts)
  if (name === null) return null
  const schema = props.get('inputSchema') ?? props.get('input_schema') ?? props.get('parameters')
  return {
    name,
    description: textOf(descriptionNode, consts),
    params: schema ? paramsOf(schema, consts) : [],
  }
}

function toolName(node: Node, consts: ConstBindings): string | null {
  const name = foldString(node, consts)
  return name !== null && name.length <= MAX_NAME && TOOL_NAME.test(name) ? name : null
}

/** A description: a constant string, or a tagged template (`dedent\`...\``) of constants. */
function textOf(node: Node, consts: ConstBindings): string | null {
  const n = unwrap(node)
  if (n.type === 'TaggedTemplateExpression') return foldString(n.quasi, consts)
  if (n.type === 'ObjectExpression' || isFunction(n)) return null
  return foldString(n, consts)
}

function objectOf(node: Node, consts: ConstBindings): ObjectLiteral | null {
  let n = unwrap(node)
  if (n.type === 'Identifier') {
    const init = consts.get(n.name)
    if (!init) return null
    n = unwrap(init)
  }
  return n.type === 'ObjectExpression' ? n : null
}

function propertiesOf(node: ObjectLiteral): Map<string, Node> {
  const out = new Map<string, Node>()
  for (const p of node.properties) {
    if (p.type === 'ObjectProperty') {
      const key = keyName(p.key, p.computed)
      if (key !== null && !out.has(key)) out.set(key, p.value as Node)
    } else if (p.type === 'ObjectMethod') {
      const key = keyName(p.key, p.computed)
      if (key !== null && !out.has(key)) out.set(key, p)
    }
  }
  return out
}

/** Keys of a zod shape `{ a: z.string() }` or of a JSON schema's `properties`. */
function paramsOf(node: Node, consts: ConstBindings): string[] {
  const object = objectOf(node, consts)
  if (!object) return []
  const props = propertiesOf(object)
  const properties = props.get('properties')
  const shape = properties ? objectOf(properties, consts) : object
  return shape ? [...propertiesOf(shape).keys()].slice(0, 100) : []
}
