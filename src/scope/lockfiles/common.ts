// What every lockfile parser shares: bounds on hostile input, the ELOCKPARSE
// message, package names and specs, and the pass that finishes a Lockfile.
// Lockfiles come from pull requests: every string here is untrusted.
import { z } from 'zod'
import { ReviewError } from '../../errors.js'
import type { InstalledPackage, Lockfile, LockfileFormat } from '../types.js'

/** `dependencies`, `peerDependencies` and the like: name to spec. */
export const DependencyMapSchema = z.record(z.string(), z.string())

/** Bounds on hostile input; real lockfiles stay far below them. */
export const LIMITS = {
  /** Characters of lockfile text (a 5,000-package npm lockfile is about 5 MiB). */
  maxTextLength: 64 * 1024 * 1024,
  /** Package entries in one lockfile. */
  maxEntries: 200_000,
  /** Nesting of JSON objects and arrays (npm v1 nests two levels per node_modules level). */
  maxJsonDepth: 256,
  /**
   * JSON values (strings, numbers, objects, lists...): about 1 GB of syntax tree at
   * the bound. An npm lockfile has 15 to 30 per package.
   */
  maxJsonValues: 10_000_000,
  /** Indentation levels in a yarn.lock (Yarn writes two). */
  maxYarnIndent: 16,
  /** YAML aliases expanded while converting (pnpm and Yarn write none). */
  maxYamlAliasCount: 100,
  /**
   * YAML values (scalars, list items, collections): about 1.5 GB of parsed document
   * at the bound. A pnpm lockfile has 10 to 20 per package.
   */
  maxYamlValues: 2_000_000,
} as const

/** The command that rewrites a lockfile, for the "what to do" half of a message. */
export type Tool = 'npm' | 'yarn' | 'pnpm' | 'bun'

const REGENERATE: Record<Tool, string> = {
  npm: 'Regenerate it with `npm install`',
  yarn: 'Regenerate it with `yarn install`',
  pnpm: 'Regenerate it with `pnpm install`',
  bun: 'Regenerate it with `bun install`',
}

/** What a parser needs to report a problem: the file, and how to fix it. */
export interface ParseContext {
  path: string
  tool: Tool
}

/** Throws ELOCKPARSE: `<path>:<line>: <what>. <what to do>`. */
export function fail(ctx: ParseContext, line: number | null, what: string, cause?: unknown): never {
  const where = line === null ? ctx.path : `${ctx.path}:${line}`
  throw new ReviewError(
    'ELOCKPARSE',
    `${where}: ${what}. ${REGENERATE[ctx.tool]}.`,
    cause === undefined ? undefined : { cause },
  )
}

/** Quote an untrusted string for a one-line message: escaped, and cut short. */
export function quote(text: string, max = 100): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text)
}

export function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.split('\n')[0] ?? ''
}

/** Validates `value` against `schema`, failing with the first problem zod finds. */
export function parseShape<T>(
  ctx: ParseContext,
  line: number | null,
  what: string,
  schema: z.ZodType<T>,
  value: unknown,
): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const at = issue && issue.path.length > 0 ? ` at ${quote(issue.path.map(String).join('.'))}` : ''
  return fail(ctx, line, `${what}: unexpected shape${at}: ${issue?.message ?? 'invalid'}`)
}

/** An object's own property only: a key like `constructor` never reaches the prototype. */
export function own(map: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined
}

/** A plain mapping (not null, not a list), or ELOCKPARSE. */
export function asMap(
  ctx: ParseContext,
  line: number | null,
  what: string,
  value: unknown,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(ctx, line, `${what} is not a mapping`)
  }
  return value as Record<string, unknown>
}

export function checkEntryCount(ctx: ParseContext, count: number): void {
  if (count <= LIMITS.maxEntries) return
  throw new ReviewError(
    'ETOOLARGE',
    `${ctx.path}: ${count} package entries, over the limit of ${LIMITS.maxEntries}. ` +
      'Split the project, or review this lockfile another way.',
  )
}

/** Strips a byte order mark; offsets move by one character on line 1 only. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** 1-based line of a character offset; lines end at `\n` (so `\r\n` counts once). */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((starts[mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}

// npm package names (validate-npm-package-name): lowercase for new packages,
// but old ones may have capitals and ~'!()*; never a leading . or _.
const PACKAGE_NAME = /^(?:@[a-z0-9~'!()*-][a-z0-9._~'!()*-]*\/)?[a-z0-9~'!()*-][a-z0-9._~'!()*-]*$/i
const MAX_NAME_LENGTH = 214

export function isPackageName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && PACKAGE_NAME.test(name)
}

/** Splits `name@rest` (`@scope/name@rest` too) at the `@` after the name; null without one. */
export function splitAtVersion(spec: string): { name: string; rest: string } | null {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0)
  if (at <= 0) return null
  return { name: spec.slice(0, at), rest: spec.slice(at + 1) }
}

/**
 * The package a dependency entry names: the key, unless the spec is an npm
 * alias (`npm:real@^1`), which installs `real` under the key's folder.
 * (`npm:^1` alone, as Yarn Berry writes ranges, is not an alias.)
 */
export function dependencyName(key: string, spec: unknown): string {
  if (typeof spec !== 'string' || !spec.startsWith('npm:')) return key
  const name = splitAtVersion(spec.slice('npm:'.length))?.name
  return name !== undefined && isPackageName(name) ? name : key
}

/** Sorted unique dependency names from any number of name-to-spec maps. */
export function dependencyNames(...maps: Array<Record<string, unknown> | undefined>): string[] {
  const names = new Set<string>()
  for (const map of maps) {
    if (!map) continue
    for (const [key, spec] of Object.entries(map)) names.add(dependencyName(key, spec))
  }
  return [...names].sort(compareText)
}

/** Ordinal comparison: the same order on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Refuses names that no registry could serve (and that could smuggle a path or URL). */
export function checkName(ctx: ParseContext, line: number | null, name: string): string {
  if (!isPackageName(name)) fail(ctx, line, `invalid package name ${quote(name)}`)
  return name
}

/** A version (or, for git and file installs, a source) as recorded; no control characters. */
export function checkVersion(ctx: ParseContext, line: number | null, version: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what we refuse
  if (version === '' || version.length > 1000 || /[\u0000-\u001f\u007f\s]/.test(version)) {
    fail(ctx, line, `invalid version ${quote(version)}`)
  }
  return version
}

/** The fields a parser fills; `finishLockfile` adds dependents. */
export type PackageEntry = Omit<InstalledPackage, 'dependents'>

/**
 * Refuses two entries at one location, computes dependents by inverting
 * dependencies within the file, and orders packages by location.
 */
export function finishLockfile(
  ctx: ParseContext,
  format: LockfileFormat,
  entries: PackageEntry[],
): Lockfile {
  checkEntryCount(ctx, entries.length)
  const seen = new Map<string, PackageEntry>()
  const dependents = new Map<string, Set<string>>()
  for (const entry of entries) {
    if (seen.has(entry.location)) {
      fail(ctx, entry.line, `two entries for the same location ${quote(entry.location)}`)
    }
    seen.set(entry.location, entry)
    for (const dependency of entry.dependencies) {
      const names = dependents.get(dependency) ?? new Set<string>()
      names.add(entry.name)
      dependents.set(dependency, names)
    }
  }
  const packages = entries
    .map((entry) => ({
      ...entry,
      dependents: [...(dependents.get(entry.name) ?? [])].sort(compareText),
    }))
    .sort((a, b) => compareText(a.location, b.location))
  return { path: ctx.path, format, packages }
}
