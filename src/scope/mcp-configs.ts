// MCP client configs (`.mcp.json`, `.cursor/mcp.json`, `.vscode/mcp.json`, ...):
// the servers they start with `npx -y pkg@1.2.3`, and how the pins changed.
import { parseTree, findNodeAtLocation, type Node as JsonNode, type ParseError } from 'jsonc-parser'
import npa from 'npm-package-arg'
import { ReviewError } from '../errors.js'
import { lineLocator } from './lockfiles/common.js'
import { MCP_CONFIG_FILES, PACKAGE_RUNNERS } from './mcp-knowledge.js'
import type { PackageChange } from './types.js'

const MAX_CONFIG_BYTES = 1024 * 1024
const MAX_SERVERS = 1000

/** A server a config starts from the npm registry. */
export interface ServerPin {
  config: string
  server: string
  line: number | null
  packageName: string
  /** The spec as written (`pkg@1.2.3`, `pkg`, `pkg@latest`). */
  spec: string
  /** The exact version when pinned; the tag or range otherwise (`latest` when none). */
  selector: string
  pinned: boolean
}

/** The servers key of a known config file, or null when the path is not one. */
export function mcpConfigKey(path: string): 'mcpServers' | 'servers' | null {
  const normal = '/' + path.replace(/\\/g, '/')
  const known = MCP_CONFIG_FILES.find((c) => normal.endsWith('/' + c.suffix))
  return known?.key ?? null
}

export function parseMcpConfig(path: string, text: string): ServerPin[] {
  const key = mcpConfigKey(path)
  if (!key) return []
  if (text.length > MAX_CONFIG_BYTES) {
    throw new ReviewError(
      'ECONFIG',
      `${path}: larger than ${MAX_CONFIG_BYTES} bytes; is it really an MCP config?`,
    )
  }
  const lineAt = lineLocator(text)
  const errors: ParseError[] = []
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false })
  if (errors.length || !root) {
    const at = errors[0]?.offset ?? 0
    throw new ReviewError(
      'ECONFIG',
      `${path}:${lineAt(at)}: not valid JSON (with comments); fix the file so MCP clients can read it too`,
    )
  }
  // `servers` for VS Code; many files use `mcpServers` whatever their name.
  const servers = findNodeAtLocation(root, [key]) ?? findNodeAtLocation(root, ['mcpServers'])
  if (!servers || servers.type !== 'object') return []
  const pins: ServerPin[] = []
  for (const prop of (servers.children ?? []).slice(0, MAX_SERVERS)) {
    const [nameNode, valueNode] = prop.children ?? []
    if (!nameNode || !valueNode || valueNode.type !== 'object') continue
    const pin = pinOf(String(nameNode.value), valueNode)
    if (pin) pins.push({ ...pin, config: path, line: lineAt(prop.offset) })
  }
  return pins
}

function pinOf(server: string, node: JsonNode): Omit<ServerPin, 'config' | 'line'> | null {
  const command = stringAt(node, 'command')
  if (!command) return null
  const argsNode = findNodeAtLocation(node, ['args'])
  const args =
    argsNode?.type === 'array'
      ? (argsNode.children ?? []).map((c) => (typeof c.value === 'string' ? c.value : ''))
      : []
  // `"command": "npx -y pkg@1"` with no args is common too.
  const words = [...command.trim().split(/\s+/), ...args]
  const spec = packageSpecOf(words)
  if (!spec) return null
  return { server, ...describeSpec(spec) }
}

/** The package a runner command starts: `npx -y pkg@1.2.3 --flag` -> `pkg@1.2.3`. */
export function packageSpecOf(words: string[]): string | null {
  const runnerName = (words[0] ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(cmd|exe)$/i, '')
  const runner = PACKAGE_RUNNERS[runnerName]
  if (!runner) return null
  let rest = words.slice(1)
  if (runner.subcommand) {
    const at = rest.indexOf(runner.subcommand)
    if (at === -1) return null
    rest = rest.slice(at + 1)
  }
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!
    if (word === '--') return rest[i + 1] ?? null
    const [flag, inline] = word.split('=', 2) as [string, string | undefined]
    if (flag === '-p' || flag === '--package') return inline ?? rest[i + 1] ?? null
    if (word.startsWith('-')) {
      if (runner.valueFlags.includes(flag) && inline === undefined) i++
      continue
    }
    return word
  }
  return null
}

function describeSpec(
  spec: string,
): Pick<ServerPin, 'packageName' | 'spec' | 'selector' | 'pinned'> {
  try {
    const parsed = npa(spec)
    const target = parsed.type === 'alias' ? (parsed as npa.AliasResult).subSpec : parsed
    const name = target.name ?? spec
    if (target.type === 'version')
      return { packageName: name, spec, selector: target.fetchSpec ?? '', pinned: true }
    // A bare name (`npx -y pkg`) is the range `*`: npx runs the latest.
    const raw = target.type === 'tag' || target.type === 'range' ? (target.fetchSpec ?? '') : spec
    const selector = raw === '*' || raw === '' ? 'latest' : raw
    return { packageName: name, spec, selector, pinned: false }
  } catch {
    return { packageName: spec, spec, selector: spec, pinned: false }
  }
}

/** Pins that changed between two versions of the configs, as package changes. */
export function diffServerPins(before: ServerPin[], after: ServerPin[]): PackageChange[] {
  const key = (p: ServerPin): string => `${p.config}\u0000${p.server}\u0000${p.packageName}`
  const old = new Map(before.map((p) => [key(p), p]))
  const changes: PackageChange[] = []
  for (const pin of after) {
    const prev = old.get(key(pin))
    if (prev && prev.selector === pin.selector) continue
    changes.push({
      kind: prev ? 'updated' : 'added',
      name: pin.packageName,
      before: prev ? asInstalled(prev) : null,
      after: asInstalled(pin),
      source: pin.config,
    })
  }
  return changes
}

function asInstalled(pin: ServerPin): NonNullable<PackageChange['after']> {
  return {
    name: pin.packageName,
    version: pin.selector,
    resolved: null,
    integrity: null,
    location: `${pin.config}#${pin.server}`,
    line: pin.line,
    dependents: [],
    dependencies: [],
  }
}

function stringAt(node: JsonNode, key: string): string | null {
  const value = findNodeAtLocation(node, [key])?.value
  return typeof value === 'string' ? value : null
}
