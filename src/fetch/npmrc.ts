// Registries and credentials as npm reads them from `.npmrc`, so a private
// registry set up for `npm ci` (by hand or by actions/setup-node) works here
// unchanged. Credentials are keyed by npm's "nerf dart" (`//host/path/`) and
// handed to npm-registry-fetch as they are: it sends a credential only to
// URLs under that key (and tarballs on the same host as their registry),
// never to another registry.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { readOptionalFile } from '../util/files.js'
import type { RegistryConfig, RegistryCredential } from './types.js'

export type Env = Record<string, string | undefined>

/** What actions/setup-node exports as NODE_AUTH_TOKEN when none was given. */
const SETUP_NODE_PLACEHOLDER = 'XXXXX-XXXXX-XXXXX-XXXXX'

/** Per-registry settings we read; the rest of `.npmrc` does not concern fetching. */
const CREDENTIAL_KEYS: Record<string, keyof RegistryCredential> = {
  _authToken: 'token',
  _auth: 'auth',
  username: 'username',
  _password: 'password',
  'always-auth': 'alwaysAuth',
}

const UNSCOPED_CREDENTIALS = new Set(['_authToken', '_auth', 'username', '_password'])

export function emptyRegistryConfig(): RegistryConfig {
  return { registry: null, scopes: {}, credentials: {}, warnings: [] }
}

/**
 * Parse `.npmrc` text the way npm does (ini lines, `${VAR}` and `${VAR?}`
 * replaced from `env` in keys and values). Pure. A credential whose variable
 * is not set is dropped with a warning instead of being sent as the literal
 * `${NODE_AUTH_TOKEN}`, as npm would.
 */
export function parseNpmrc(text: string, env: Env): RegistryConfig {
  const config = emptyRegistryConfig()
  let section: string | null = null
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue
    const where = `.npmrc line ${index + 1}`
    const header = /^\[(.*)\]$/.exec(line)
    if (header) {
      section = header[1] ?? ''
      continue
    }
    const eq = line.indexOf('=')
    if (eq === -1) continue // a bare key is `key=true` to npm; none of ours is a flag alone
    if (section !== null) {
      config.warnings.push(
        `${where}: settings in section [${section}] are ignored, as npm ignores them`,
      )
      continue
    }
    const key = expandEnv(line.slice(0, eq).trim(), env)
    const value = expandEnv(parseValue(line.slice(eq + 1).trim()), env)
    applySetting(config, key.text, value, where)
  }
  return config
}

function applySetting(config: RegistryConfig, key: string, value: Expanded, where: string): void {
  if (key === 'registry') {
    const url = registryUrl(value.text)
    if (url) config.registry = url
    else config.warnings.push(`${where}: registry is not an http(s) URL; ignored`)
    return
  }
  const scoped = /^(@[^:/]+):registry$/.exec(key)
  if (scoped) {
    const url = registryUrl(value.text)
    if (url) config.scopes[(scoped[1] as string).toLowerCase()] = url
    else config.warnings.push(`${where}: ${scoped[1]}:registry is not an http(s) URL; ignored`)
    return
  }
  if (UNSCOPED_CREDENTIALS.has(key)) {
    config.warnings.push(
      `${where}: ${key} without a registry is ignored, as npm >= 9 ignores it; write //host/:${key}=`,
    )
    return
  }
  const perRegistry = /^(\/\/.+):([A-Za-z_-]+)$/.exec(key)
  const field = perRegistry ? CREDENTIAL_KEYS[perRegistry[2] as string] : undefined
  if (!perRegistry || !field) return
  const dart = perRegistry[1] as string
  if (value.missing.length > 0 || value.text === SETUP_NODE_PLACEHOLDER) {
    const name = value.missing[0] ?? 'NODE_AUTH_TOKEN'
    config.warnings.push(`${where}: ${name} is not set, so no ${perRegistry[2]} is sent to ${dart}`)
    return
  }
  const credential = (config.credentials[dart] ??= {})
  if (field === 'alwaysAuth') credential.alwaysAuth = value.text === 'true'
  else if (value.text !== '') credential[field] = value.text
}

/** Settings of `override` win, as a project `.npmrc` wins over the user's. */
export function mergeRegistryConfigs(
  base: RegistryConfig,
  override: RegistryConfig,
): RegistryConfig {
  const credentials = { ...base.credentials }
  for (const [dart, credential] of Object.entries(override.credentials)) {
    credentials[dart] = { ...credentials[dart], ...credential }
  }
  return {
    registry: override.registry ?? base.registry,
    scopes: { ...base.scopes, ...override.scopes },
    credentials,
    warnings: [...base.warnings, ...override.warnings],
  }
}

/** The `registry-token` input: a token for one registry URL, and for no other. */
export function withRegistryToken(
  config: RegistryConfig,
  registry: string,
  token: string,
): RegistryConfig {
  const dart = nerfDart(registry)
  return {
    ...config,
    credentials: { ...config.credentials, [dart]: { ...config.credentials[dart], token } },
  }
}

/**
 * npm's key for a registry URL: `//host[:port]/path/`, the URL without its
 * protocol and last path segment (as npm's nerf-dart).
 */
export function nerfDart(url: string): string {
  const parsed = new URL('.', new URL(url))
  return `//${parsed.host}${parsed.pathname}`
}

/** The settings as npm-registry-fetch (and so pacote) reads them from its options. */
export function npmrcOptions(config: RegistryConfig): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {}
  for (const [scope, url] of Object.entries(config.scopes)) out[`${scope}:registry`] = url
  for (const [dart, c] of Object.entries(config.credentials)) {
    if (c.token) out[`${dart}:_authToken`] = c.token
    if (c.auth) out[`${dart}:_auth`] = c.auth
    if (c.username) out[`${dart}:username`] = c.username
    if (c.password) out[`${dart}:_password`] = c.password
  }
  return out
}

/** Every secret in the config, to scrub from anything we print. */
export function secretsOf(config: RegistryConfig | undefined): string[] {
  if (!config) return []
  const out: string[] = []
  for (const c of Object.values(config.credentials)) {
    for (const s of [c.token, c.auth, c.password]) if (s && s.length >= 4) out.push(s)
    // npm stores _password and _auth (user:pass) in base64: the decoded
    // forms, and _auth's password alone, are secrets too.
    if (c.password) {
      const decoded = Buffer.from(c.password, 'base64').toString('utf8')
      if (decoded.length >= 4) out.push(decoded)
    }
    if (c.auth) {
      const decoded = Buffer.from(c.auth, 'base64').toString('utf8')
      const password = decoded.slice(decoded.indexOf(':') + 1)
      for (const s of [decoded, password]) if (s.length >= 4 && !out.includes(s)) out.push(s)
    }
  }
  return out
}

/**
 * The configuration npm would use in `dir`: the user config (the file named
 * by NPM_CONFIG_USERCONFIG, where actions/setup-node writes its `.npmrc`, else
 * `~/.npmrc`), then the project's `.npmrc`, which wins. Missing files are no
 * configuration.
 */
export async function readRegistryConfig(
  dir: string,
  env: Env,
  home: string = homedir(),
): Promise<RegistryConfig> {
  const userPath = env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig ?? join(home, '.npmrc')
  const user = await readOptionalFile(userPath, 'the npm user configuration')
  const project = await readOptionalFile(join(dir, '.npmrc'), 'the project .npmrc')
  return mergeRegistryConfigs(
    user === null ? emptyRegistryConfig() : parseNpmrc(user, env),
    project === null ? emptyRegistryConfig() : parseNpmrc(project, env),
  )
}

// ---------------------------------------------------------------------------
// ini values and ${VAR} expansion, as npm (ini, @npmcli/config env-replace)

interface Expanded {
  text: string
  /** Variables referenced without `?` that the environment does not have. */
  missing: string[]
}

/** A quoted value is JSON or single-quoted; otherwise an unescaped `;` or `#` starts a comment. */
function parseValue(value: string): string {
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    try {
      const parsed: unknown = JSON.parse(value)
      if (typeof parsed === 'string') return parsed
    } catch {
      // not JSON: read it as ini does, below
    }
  }
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1)
  let out = ''
  let escaping = false
  for (const ch of value) {
    if (escaping) {
      out += '\\;#'.includes(ch) ? ch : '\\' + ch
      escaping = false
    } else if (ch === '\\') escaping = true
    else if (ch === ';' || ch === '#') break
    else out += ch
  }
  return (escaping ? out + '\\' : out).trim()
}

const ENV_EXPR = /(\\*)\$\{([^${}?]+)(\?)?\}/g

function expandEnv(text: string, env: Env): Expanded {
  const missing: string[] = []
  const out = text.replace(ENV_EXPR, (whole, esc: string, name: string, optional?: string) => {
    // An odd number of backslashes escapes the expression.
    if (esc.length % 2 === 1) return whole.slice((esc.length + 1) / 2)
    const value = env[name]
    if (value === undefined && !optional) missing.push(name)
    return esc.slice(esc.length / 2) + (value ?? '')
  })
  return { text: out, missing }
}

function registryUrl(value: string): string | null {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    return url.href.endsWith('/') ? url.href : url.href + '/'
  } catch {
    return null
  }
}
