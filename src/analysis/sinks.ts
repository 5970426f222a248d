// Network sinks: which calls send data out, of which kind, and where to.
import type { Node } from '@babel/types'
import { isFunction, keyName, unwrap } from './ast.js'
import { capturedGlobal } from './capabilities.js'
import type { FileContext, ResolvedCallee } from './context.js'
import { foldLoose } from './fold.js'
import { DESTINATION_KEYS, GLOBAL_OBJECTS, SINK_KIND_OF_MODULE, SINK_METHODS } from './knowledge.js'
import { asBareHost, findUrls } from './literals.js'

export type NetworkSinkKind = 'http' | 'socket' | 'dns' | 'websocket'

/** Identifiers followed to their `const` value when looking for a host. */
const MAX_FOLLOW = 4

/** The host an argument of a network call names: a URL, an options object's `host`, a bare host. */
export function hostIn(ctx: FileContext, arg: Node, kind: NetworkSinkKind): string | null {
  let n = unwrap(arg)
  for (let i = 0; i < MAX_FOLLOW && n.type === 'Identifier'; i++) {
    const init = ctx.consts.get(n.name)
    if (!init) break
    n = unwrap(init)
  }
  if (n.type === 'ObjectExpression') {
    for (const p of n.properties) {
      if (p.type !== 'ObjectProperty') continue
      const key = keyName(p.key, p.computed)?.toLowerCase()
      if (!key || !DESTINATION_KEYS.has(key)) continue
      const host = hostFromText(
        foldLoose(p.value as Node, ctx.consts, ' '),
        key === 'host' || key === 'hostname',
      )
      if (host) return host
    }
    return null
  }
  if (n.type === 'NumericLiteral' || isFunction(n)) return null
  return hostFromText(foldLoose(n, ctx.consts, ' '), kind === 'socket')
}

export function hostFromText(text: string, bare: boolean): string | null {
  const url = findUrls(text)[0]
  if (url) return url.host
  return bare ? asBareHost(text) : null
}

/** `…hex….x.evil.example` -> `x.evil.example`: the constant domain under a computed name. */
export function constantDomain(name: string): string | null {
  const tail = name.slice(name.lastIndexOf(' ') + 1).replace(/^\.+/, '')
  return asBareHost(tail)
}

export function sinkKindOf(
  r: ResolvedCallee,
  callee: Node,
  consts: FileContext['consts'],
): NetworkSinkKind | null {
  const method = r.method ?? ''
  if (r.module === null && callee.type === 'Identifier') {
    // `const original = globalThis.fetch; original(url)`: still fetch.
    const init = consts.get(callee.name)
    const saved = init ? capturedGlobal(init) : null
    if (saved === 'fetch' || saved === 'EventSource') return 'http'
    if (saved === 'WebSocket') return 'websocket'
  }
  if (r.module === null) {
    // Globals: fetch(), globalThis.fetch(), new WebSocket(), new EventSource().
    const global =
      callee.type === 'Identifier'
        ? callee.name
        : r.root && GLOBAL_OBJECTS.has(r.root)
          ? method
          : null
    if (global === 'fetch' || global === 'EventSource') return 'http'
    if (global === 'WebSocket') return 'websocket'
    return null
  }
  const kind = SINK_KIND_OF_MODULE[r.module]
  return kind && SINK_METHODS[kind].has(method) ? kind : null
}
