// Which package specs we fetch, and which we refuse before any network.
// npm-package-arg is the parser npm and pacote use, so a spec means here
// exactly what it means to `npm install`.
import npa from 'npm-package-arg'
import { ReviewError } from '../errors.js'

/** A spec we are willing to fetch, with the string to hand to pacote. */
export type ParsedSpec =
  | {
      kind: 'registry'
      /** The spec as given (untrusted). */
      raw: string
      /** The real package name (an `npm:` alias is resolved to it). */
      name: string
      /** The version, range or dist-tag asked for. */
      selector: string
      selectorType: 'version' | 'range' | 'tag'
      /** The alias name when the spec was `alias@npm:name@x`, else null. */
      alias: string | null
      pacoteSpec: string
    }
  | { kind: 'file'; raw: string; name: string | null; path: string; pacoteSpec: string }
  | { kind: 'remote'; raw: string; name: string | null; url: string; pacoteSpec: string }

const GIVE_INSTEAD = 'give a registry version (name@1.2.3) or a .tgz file instead'

/** Parse a spec as npm would; refuse the kinds whose fetch runs package code. */
export function parseSpec(spec: string): ParsedSpec {
  const shown = redactSecrets(spec)
  if (spec.trim() === '') throw new ReviewError('ESPEC', 'empty package spec: ' + GIVE_INSTEAD)
  let result: npa.Result
  try {
    result = npa(spec)
  } catch (err) {
    throw new ReviewError('ESPEC', `cannot parse package spec "${shown}": ${message(err)}`, {
      cause: err,
    })
  }
  // An alias stands for its subSpec; npa allows aliases of registry specs only.
  const alias = result.type === 'alias' ? (result.name ?? null) : null
  const target = result.type === 'alias' ? (result as npa.AliasResult).subSpec : result

  switch (target.type) {
    case 'version':
    case 'range':
    case 'tag':
      return parseRegistry(spec, shown, target, alias)
    case 'file':
      return {
        kind: 'file',
        raw: spec,
        name: target.name ?? null,
        path: requireFetchSpec(target, shown),
        pacoteSpec: requireFetchSpec(target, shown),
      }
    case 'remote':
      return parseRemote(spec, shown, target)
    case 'git':
      throw new ReviewError(
        'ESPEC',
        `refusing git spec "${shown}": fetching it clones the repository and runs its prepare script, ` +
          `which executes the code under review; ${GIVE_INSTEAD}`,
      )
    case 'directory':
      throw new ReviewError(
        'ESPEC',
        `refusing directory spec "${shown}": packing a directory runs its prepare script, ` +
          `which executes the code under review; ${GIVE_INSTEAD} (npm pack --ignore-scripts)`,
      )
    default:
      throw new ReviewError('ESPEC', `unsupported package spec "${shown}" (${target.type})`)
  }
}

function parseRegistry(
  spec: string,
  shown: string,
  target: npa.Result,
  alias: string | null,
): ParsedSpec {
  if (!target.name) {
    throw new ReviewError('ESPEC', `package spec "${shown}" has no package name`)
  }
  const selector = requireFetchSpec(target, shown)
  return {
    kind: 'registry',
    raw: spec,
    name: target.name,
    selector,
    selectorType: target.type as 'version' | 'range' | 'tag',
    alias,
    pacoteSpec: `${target.name}@${selector}`,
  }
}

function parseRemote(spec: string, shown: string, target: npa.Result): ParsedSpec {
  const url = requireFetchSpec(target, shown)
  let protocol: string
  try {
    protocol = new URL(url).protocol
  } catch (err) {
    throw new ReviewError('ESPEC', `invalid tarball URL in spec "${shown}"`, { cause: err })
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ReviewError(
      'ESPEC',
      `refusing tarball URL "${shown}": only http and https are fetched`,
    )
  }
  return { kind: 'remote', raw: spec, name: target.name ?? null, url, pacoteSpec: url }
}

function requireFetchSpec(result: npa.Result, shown: string): string {
  if (result.fetchSpec === null || result.fetchSpec === '') {
    throw new ReviewError('ESPEC', `cannot tell what to fetch for package spec "${shown}"`)
  }
  return result.fetchSpec
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Remove credentials from text we echo: URL userinfo (`https://user:pass@host`)
 * and npm auth settings (`_authToken=...`, `_auth=...`, `_password=...`).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1***@')
    .replace(/(_authToken|_auth|_password)(["']?\s*[=:]\s*["']?)[^\s"',;&]+/gi, '$1$2***')
    .replace(/(authorization["']?\s*[=:]\s*["']?(?:bearer|basic)\s+)[^\s"',;]+/gi, '$1***')
}
