// GitHub's REST API as its OpenAPI description (@octokit/openapi,
// generated/api.github.com.json) has it, for the local server in
// ./github-server.ts: the routes, the checks of each request and response
// against the description, and the wire shapes both sides share (a request
// as received, a reply, GitHub's error body).
//
// The schema validator is ajv, which is in node_modules as a dependency of
// eslint (ajv 6): it must be an explicit devDependency of this project.
import { readFileSync } from 'node:fs'
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'

export interface Incoming {
  method: string
  url: URL
  headers: IncomingHttpHeaders
  raw: Buffer
  body: unknown
  jsonError: string | null
}

export interface Reply {
  status: number
  /** A JSON body; undefined for none. */
  json?: unknown
  /** A non-JSON body (raw file contents). */
  raw?: Uint8Array
  headers?: Record<string, string>
}

export function errorReply(status: number, message?: string): Reply {
  return { status, json: errorBody(status, message) }
}

export function errorBody(
  status: number,
  message?: string,
  docsUrl = 'https://docs.github.com/rest',
) {
  return {
    message: message ?? STATUS_CODES[status] ?? 'Error',
    documentation_url: docsUrl,
    status: String(status),
  }
}

/** The body as it travels: undefined properties gone, dates as strings. */
export function wire(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body)) as unknown
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// --------------------------------------------- the OpenAPI description: routes

// The statuses any endpoint can answer (bad JSON, credentials, permissions,
// missing resources, rate limits, outages), which the description leaves out
// of many operations. Undeclared, they are checked as GitHub's basic-error.
const ANY_ENDPOINT_STATUSES = new Set([400, 401, 403, 404, 429, 500, 502, 503])
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

type Json = Record<string, unknown>

export interface OpenApi {
  doc: { paths: Record<string, Json>; components: Record<string, Json> }
  routes: Route[]
  ajv: Ajv.Ajv
  checks: Map<string, OperationChecks>
  basicError: ValidateFunction
  file: string
  bytes: number
  loadMs: number
}

interface Route {
  method: string
  template: string
  operationId: string
  operation: Json
  parameters: Json[]
  regex: RegExp
  paramNames: string[]
  /** Literal characters in the template: the more, the more specific the route. */
  specificity: number
}

let cached: OpenApi | undefined

/** Where the description is, how big, and how long the first load took. */
export function openApiInfo(): { file: string; bytes: number; loadMs: number; operations: number } {
  const api = loadOpenApi()
  return { file: api.file, bytes: api.bytes, loadMs: api.loadMs, operations: api.routes.length }
}

export function loadOpenApi(): OpenApi {
  if (cached) return cached
  const started = performance.now()
  const require = createRequire(import.meta.url)
  const file = join(
    dirname(require.resolve('@octokit/openapi/package.json')),
    'generated',
    'api.github.com.json',
  )
  const text = readFileSync(file, 'utf8')
  const doc = JSON.parse(text) as OpenApi['doc']
  const ajv = new Ajv({
    allErrors: true,
    jsonPointers: true,
    format: 'fast',
    // The description uses formats of its own (int64, repo.nwo, binary, ...).
    unknownFormats: 'ignore',
    logger: false,
  })
  const routes: Route[] = []
  for (const [template, item] of Object.entries(doc.paths)) {
    const shared = Array.isArray(item.parameters) ? (item.parameters as Json[]) : []
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Json | undefined
      if (!operation) continue
      const own = Array.isArray(operation.parameters) ? (operation.parameters as Json[]) : []
      const parameters = [...shared, ...own].map((p) => deref(doc, p))
      routes.push({
        method: method.toUpperCase(),
        template,
        operationId: String(operation.operationId ?? `${method} ${template}`),
        operation,
        parameters,
        ...routePattern(template, parameters),
      })
    }
  }
  const basicError = ajv.compile(toJsonSchema(doc, { $ref: '#/components/schemas/basic-error' }))
  cached = {
    doc,
    routes,
    ajv,
    checks: new Map(),
    basicError,
    file,
    bytes: Buffer.byteLength(text),
    loadMs: Math.round(performance.now() - started),
  }
  return cached
}

function routePattern(
  template: string,
  parameters: Json[],
): Pick<Route, 'regex' | 'paramNames' | 'specificity'> {
  const paramNames: string[] = []
  let source = ''
  let last = 0
  for (const m of template.matchAll(/\{([^}]+)\}/g)) {
    const name = m[1] ?? ''
    const multi = parameters.some((p) => p.name === name && p['x-multi-segment'] === true)
    source += escapeRegExp(template.slice(last, m.index)) + (multi ? '(.+)' : '([^/]+)')
    paramNames.push(name)
    last = m.index + m[0].length
  }
  source += escapeRegExp(template.slice(last))
  return {
    regex: new RegExp(`^${source}$`),
    paramNames,
    specificity: template.replace(/\{[^}]+\}/g, '').length,
  }
}

export function matchRoute(
  api: OpenApi,
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | { problem: string } {
  let best: { route: Route; params: Record<string, string> } | undefined
  const otherMethods = new Set<string>()
  for (const route of api.routes) {
    const m = route.regex.exec(pathname)
    if (!m) continue
    if (route.method !== method) {
      otherMethods.add(`${route.method} ${route.template}`)
      continue
    }
    if (best && best.route.specificity >= route.specificity) continue
    const params: Record<string, string> = {}
    route.paramNames.forEach((name, i) => (params[name] = safeDecode(m[i + 1] ?? '')))
    best = { route, params }
  }
  if (best) return best
  if (otherMethods.size > 0) {
    return {
      problem: `GitHub's REST API has no ${method} for this path (it has ${[...otherMethods].join(', ')})`,
    }
  }
  return { problem: `no operation in GitHub's REST API description matches ${method} ${pathname}` }
}

// ----------------------------------------- the OpenAPI description: validators

interface ParamCheck {
  name: string
  in: string
  required: boolean
  type: unknown
  validate: ValidateFunction
}

interface OperationChecks {
  params: ParamCheck[]
  body: { required: boolean; validate: ValidateFunction; known: Set<string> | null } | null
  /** By status (or "default"); validate is null when no JSON body is declared. */
  responses: Map<string, { validate: ValidateFunction | null }>
  docsUrl: string
}

/** Compiled the first time the operation is called, then reused. */
export function compileChecks(api: OpenApi, route: Route): OperationChecks {
  const key = `${route.method} ${route.template}`
  const hit = api.checks.get(key)
  if (hit) return hit
  const compile = (schema: unknown): ValidateFunction =>
    api.ajv.compile(toJsonSchema(api.doc, schema))
  const params = route.parameters
    .filter((p) => p.in === 'path' || p.in === 'query')
    .map((p) => {
      const schema = deref(api.doc, (p.schema as Json | undefined) ?? {})
      return {
        name: String(p.name),
        in: String(p.in),
        required: p.required === true,
        type: schema.type,
        validate: compile(schema),
      }
    })
  let body: OperationChecks['body'] = null
  if (route.operation.requestBody) {
    const requestBody = deref(api.doc, route.operation.requestBody as Json)
    const schema = jsonContent(requestBody)
    const resolved = isObject(schema) ? deref(api.doc, schema) : undefined
    body = {
      required: requestBody.required === true,
      validate: compile(schema ?? {}),
      known:
        resolved?.properties && resolved.additionalProperties === undefined
          ? new Set(Object.keys(resolved.properties as Json))
          : null,
    }
  }
  const responses = new Map<string, { validate: ValidateFunction | null }>()
  for (const [status, response] of Object.entries((route.operation.responses as Json) ?? {})) {
    const schema = jsonContent(deref(api.doc, response as Json))
    responses.set(status, { validate: schema ? compile(schema) : null })
  }
  const docs = route.operation.externalDocs as Json | undefined
  const checks: OperationChecks = {
    params,
    body,
    responses,
    docsUrl: typeof docs?.url === 'string' ? docs.url : 'https://docs.github.com/rest',
  }
  api.checks.set(key, checks)
  return checks
}

export function checkRequest(
  checks: OperationChecks,
  pathParams: Record<string, string>,
  incoming: Incoming,
): { problems: string[]; reject: Reply | null; params: Record<string, unknown> } {
  const problems: string[] = []
  const params: Record<string, unknown> = {}
  let reject: Reply | null = null
  const query = incoming.url.searchParams
  for (const p of checks.params) {
    const raw = p.in === 'path' ? pathParams[p.name] : (query.get(p.name) ?? undefined)
    if (raw === undefined) {
      if (p.required) problems.push(`${p.in} parameter ${p.name} is required`)
      continue
    }
    const value = coerce(raw, p.type)
    params[p.name] = value
    if (!p.validate(value)) {
      problems.push(
        `${p.in} parameter ${p.name}=${JSON.stringify(raw)}: ${describe(p.validate.errors)}`,
      )
      // GitHub answers a malformed path (pulls/abc) with 404.
      if (p.in === 'path') reject = errorReply(404)
    }
  }
  for (const name of new Set(query.keys())) {
    if (!checks.params.some((p) => p.in === 'query' && p.name === name)) {
      problems.push(`unknown query parameter ${name}`)
    }
  }
  const bodyProblems = checkBody(checks, incoming)
  problems.push(...bodyProblems.problems)
  return { problems, reject: reject ?? bodyProblems.reject, params }
}

function checkBody(
  checks: OperationChecks,
  incoming: Incoming,
): { problems: string[]; reject: Reply | null } {
  const sent = incoming.raw.length > 0
  const spec = checks.body
  if (!spec) {
    return {
      problems: sent ? ['a request body was sent; the operation takes none'] : [],
      reject: null,
    }
  }
  if (!sent) {
    if (!spec.required) return { problems: [], reject: null }
    return {
      problems: ['the request body is required'],
      reject: { status: 422, json: errorBody(422, 'Invalid request.', checks.docsUrl) },
    }
  }
  const problems: string[] = []
  if (!/\bjson\b/i.test(incoming.headers['content-type'] ?? '')) {
    problems.push(
      `request content-type ${JSON.stringify(incoming.headers['content-type'] ?? '')} is not JSON`,
    )
  }
  if (incoming.jsonError !== null) {
    problems.push(`the request body is not JSON: ${incoming.jsonError}`)
    return { problems, reject: errorReply(400, 'Problems parsing JSON') }
  }
  let reject: Reply | null = null
  if (!spec.validate(incoming.body)) {
    const detail = describe(spec.validate.errors)
    problems.push(`request body: ${detail}`)
    reject = { status: 422, json: errorBody(422, `Invalid request.\n\n${detail}`, checks.docsUrl) }
  }
  // GitHub ignores properties it does not know; a typo would go unnoticed.
  if (spec.known && isObject(incoming.body)) {
    for (const key of Object.keys(incoming.body)) {
      if (!spec.known.has(key)) problems.push(`request body: unknown property ${key}`)
    }
  }
  return { problems, reject }
}

export function checkResponse(api: OpenApi, checks: OperationChecks, reply: Reply): string[] {
  const label = `response ${reply.status}`
  const declared = checks.responses.get(String(reply.status)) ?? checks.responses.get('default')
  if (!declared) {
    if (!ANY_ENDPOINT_STATUSES.has(reply.status)) {
      return [
        `${label}: status not declared (declared: ${[...checks.responses.keys()].join(', ')})`,
      ]
    }
    return validateBody(api.basicError, reply.json, label)
  }
  // Raw media types are described in prose, not in the content map.
  if (reply.raw !== undefined) return []
  if (declared.validate === null) {
    return reply.json === undefined ? [] : [`${label}: a body was sent; none is declared`]
  }
  return validateBody(declared.validate, reply.json, label)
}

function validateBody(validate: ValidateFunction, body: unknown, label: string): string[] {
  if (body === undefined) return [`${label}: no body; one is declared`]
  return validate(wire(body)) ? [] : [`${label} body: ${describe(validate.errors)}`]
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const list = errors ?? []
  const shown = list.slice(0, 8).map((e) => {
    const params = e.params as Json
    const extra =
      'additionalProperty' in params
        ? ` (${String(params.additionalProperty)})`
        : 'allowedValues' in params
          ? ` ${JSON.stringify(params.allowedValues)}`
          : ''
    return `${e.dataPath || '/'} ${e.message ?? 'is invalid'}${extra}`
  })
  return (
    shown.join('; ') +
    (list.length > shown.length ? ` (and ${list.length - shown.length} more)` : '')
  )
}

function jsonContent(holder: Json): unknown {
  const content = holder.content as Record<string, Json> | undefined
  if (!content) return undefined
  const type =
    'application/json' in content
      ? 'application/json'
      : Object.keys(content).find((t) => /json/.test(t))
  return type ? content[type]?.schema : undefined
}

/**
 * An OpenAPI 3.0 schema as a self-contained JSON Schema for ajv: component
 * references become `definitions`, gathered transitively; `nullable` becomes
 * a null type; annotations that only cost time are dropped.
 */
function toJsonSchema(doc: OpenApi['doc'], schema: unknown): Json {
  const components = doc.components.schemas as Json
  const definitions: Json = {}
  const pending: string[] = []
  const refTo = (ref: string): Json => {
    const name = ref.startsWith('#/components/schemas/')
      ? ref.slice('#/components/schemas/'.length)
      : undefined
    if (name === undefined || !(name in components)) throw new Error(`unresolvable $ref ${ref}`)
    if (!(name in definitions)) {
      definitions[name] = true
      pending.push(name)
    }
    return { $ref: `#/definitions/${name}` }
  }
  const convert = (node: unknown): unknown => {
    if (!isObject(node)) return node
    if (typeof node.$ref === 'string') {
      const ref = refTo(node.$ref)
      return node.nullable === true ? { anyOf: [{ type: 'null' }, ref] } : ref
    }
    const out: Json = {}
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue
      if (key === 'properties' && isObject(value)) {
        out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]))
      } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
        out[key] = Array.isArray(value) ? value.map(convert) : convert(value)
      } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
        out[key] = value.map(convert)
      } else {
        out[key] = value
      }
    }
    if (node.nullable !== true) return out
    if (typeof out.type === 'string' && !out.allOf && !out.anyOf && !out.oneOf) {
      out.type = [out.type, 'null']
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
      return out
    }
    return { anyOf: [{ type: 'null' }, out] }
  }
  const root = convert(schema)
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    definitions[name] = convert(components[name])
  }
  return { allOf: [root], definitions }
}

const DROPPED_KEYWORDS = new Set([
  'nullable',
  'description',
  'title',
  'example',
  'examples',
  'externalDocs',
  'discriminator',
  'xml',
  'readOnly',
  'writeOnly',
  'deprecated',
])

/** Follows `$ref`s to components (parameters, responses, request bodies). */
function deref(doc: OpenApi['doc'], node: Json): Json {
  let current = node
  for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
    let target: unknown = doc
    for (const part of current.$ref.replace(/^#\//, '').split('/')) {
      target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
    }
    if (!isObject(target)) throw new Error(`unresolvable $ref ${current.$ref}`)
    current = target
  }
  return current
}

/** Query and path values are text; the description types them. */
function coerce(raw: string, type: unknown): unknown {
  if (type === 'integer' && /^-?\d+$/.test(raw)) return Number(raw)
  if (type === 'number' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw)
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true'
  if (type === 'array') return raw.split(',')
  return raw
}
