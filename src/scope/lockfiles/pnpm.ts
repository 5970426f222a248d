// pnpm-lock.yaml, lockfileVersion 6.x (pnpm 8) and 9.x (pnpm 9 and later).
//
// v6 lists instances under `packages`, keyed `/name@version(peer@1.0.0)`.
// v9 splits them: `packages` keyed `name@version` (resolution, integrity) and
// `snapshots` keyed `name@version(peer@1.0.0)` (dependencies). The peer suffix
// makes an instance (pnpm installs one copy per peer set) but is not part of
// the version. The location is the key: the v6 `packages` key, the v9
// `snapshots` key (or the `packages` key of an entry no snapshot uses); the
// line is the `packages` entry, where version and integrity are.
//
// pnpm 11 and later may write two YAML documents: an "env" document (pnpm
// itself and config dependencies, which are installed and run too) before the
// project's. We read both; the env document's locations get an `env:` prefix.
//
// pnpm records no tarball URL for registry packages: `resolved` is null for
// them, and the tarball URL, or `git+<repo>#<commit>`, for the others. Local
// folders (`resolution.directory`) are in the repository: not listed. Links
// and workspace packages appear only under `importers`, which we do not read.
import { z } from 'zod'
import type { Lockfile, LockfileFormat } from '../types.js'
import {
  asMap,
  checkEntryCount,
  checkName,
  checkVersion,
  compareText,
  DependencyMapSchema,
  fail,
  finishLockfile,
  isPackageName,
  own,
  type PackageEntry,
  type ParseContext,
  parseShape,
  quote,
  splitAtVersion,
  stripBom,
} from './common.js'
import { parseYamlDocuments, type YamlDocument } from './yaml.js'

const RootSchema = z.object({ lockfileVersion: z.string() })

const ResolutionSchema = z.object({
  integrity: z.string().optional(),
  tarball: z.string().optional(),
  type: z.string().optional(),
  repo: z.string().optional(),
  commit: z.string().optional(),
  directory: z.string().optional(),
})

const PackageSchema = z.object({
  resolution: ResolutionSchema,
  name: z.string().optional(),
  version: z.string().optional(),
  dependencies: DependencyMapSchema.optional(),
  optionalDependencies: DependencyMapSchema.optional(),
})

const SnapshotSchema = z.object({
  dependencies: DependencyMapSchema.optional(),
  optionalDependencies: DependencyMapSchema.optional(),
})

type PnpmPackage = z.infer<typeof PackageSchema>

const SUPPORTED = 'supported: 6.x (pnpm 8) and 9.x (pnpm 9 and later)'

export function parsePnpmLockfile(path: string, text: string): Lockfile {
  const ctx: ParseContext = { path, tool: 'pnpm' }
  const docs = parseYamlDocuments(ctx, stripBom(text))
  if (docs.length === 0) fail(ctx, 1, 'the file is empty')
  if (docs.length > 2) fail(ctx, null, `${docs.length} YAML documents; pnpm writes one or two`)
  const entries: PackageEntry[] = []
  const formats = docs.map((doc, index) =>
    readDocument(ctx, doc, index < docs.length - 1 ? 'env:' : '', entries),
  )
  return finishLockfile(ctx, formats[formats.length - 1] ?? 'pnpm-v9', entries)
}

function readDocument(
  ctx: ParseContext,
  doc: YamlDocument,
  prefix: string,
  entries: PackageEntry[],
): LockfileFormat {
  const root = asMap(ctx, 1, 'the document', doc.value)
  const { lockfileVersion } = parseShape(ctx, 1, 'the document', RootSchema, root)
  const major = lockfileVersion.split('.')[0]
  if (major !== '6' && major !== '9') {
    fail(ctx, 1, `unsupported lockfileVersion ${quote(lockfileVersion)}; ${SUPPORTED}`)
  }
  const packages = readPackages(ctx, doc, root, major === '6')
  checkEntryCount(ctx, entries.length + packages.size)
  if (major === '6') {
    for (const [key, pkg] of packages) push(entries, toEntry(ctx, pkg, prefix + key, pkg.value))
    return 'pnpm-v6'
  }
  const snapshots = asMap(ctx, null, '"snapshots"', own(root, 'snapshots') ?? {})
  const used = new Set<string>()
  for (const { key, line } of doc.keys(['snapshots'])) {
    const what = `snapshot ${quote(key)}`
    const snapshot = parseShape(ctx, line, what, SnapshotSchema, own(snapshots, key))
    const pkg = packages.get(stripPeers(key))
    if (!pkg) fail(ctx, line, `${what} has no entry under "packages"`)
    used.add(stripPeers(key))
    push(entries, toEntry(ctx, pkg, prefix + key, snapshot))
  }
  for (const [key, pkg] of packages) {
    if (!used.has(key)) push(entries, toEntry(ctx, pkg, prefix + key, {}))
  }
  return 'pnpm-v9'
}

interface ReadPackage {
  value: PnpmPackage
  name: string
  version: string
  line: number
}

/** The `packages` map, validated, with each entry's name and version. */
function readPackages(
  ctx: ParseContext,
  doc: YamlDocument,
  root: Record<string, unknown>,
  v6: boolean,
): Map<string, ReadPackage> {
  const packages = asMap(ctx, null, '"packages"', own(root, 'packages') ?? {})
  const result = new Map<string, ReadPackage>()
  for (const { key, line } of doc.keys(['packages'])) {
    const what = `package ${quote(key)}`
    const value = parseShape(ctx, line, what, PackageSchema, own(packages, key))
    // v6 registry keys start with "/"; others (git, tarball, file:) carry name and version.
    const fromKey =
      v6 && !key.startsWith('/') ? null : splitAtVersion(stripPeers(key.replace(/^\//, '')))
    // A registry key holds the version pnpm installs; a URL or path key does not.
    const keyVersion = fromKey && !/[:/]/.test(fromKey.rest) ? fromKey.rest : undefined
    const name = fromKey?.name ?? value.name
    const version = keyVersion ?? value.version ?? fromKey?.rest
    if (name === undefined || version === undefined)
      fail(ctx, line, `${what} has no name or version`)
    if (value.name !== undefined && value.name !== name) {
      fail(ctx, line, `${what}: name ${quote(value.name)} does not match the key`)
    }
    if (value.version !== undefined && value.version !== version) {
      fail(ctx, line, `${what}: version ${quote(value.version)} does not match the key`)
    }
    result.set(key, { value, name, version, line })
  }
  return result
}

function push(entries: PackageEntry[], entry: PackageEntry | null): void {
  if (entry) entries.push(entry)
}

/** An instance of `pkg` at `location`, with the dependencies its snapshot (v9) or entry (v6) lists. */
function toEntry(
  ctx: ParseContext,
  pkg: ReadPackage,
  location: string,
  deps: z.infer<typeof SnapshotSchema>,
): PackageEntry | null {
  const { resolution } = pkg.value
  if (resolution.directory !== undefined) return null
  return {
    name: checkName(ctx, pkg.line, pkg.name),
    version: checkVersion(ctx, pkg.line, pkg.version),
    resolved: resolvedOf(resolution),
    integrity: resolution.integrity ?? null,
    location,
    line: pkg.line,
    dependencies: pnpmDependencyNames(deps.dependencies, deps.optionalDependencies),
  }
}

function resolvedOf(resolution: z.infer<typeof ResolutionSchema>): string | null {
  if (resolution.tarball !== undefined) return resolution.tarball
  if (resolution.repo !== undefined && resolution.commit !== undefined) {
    return `git+${resolution.repo}#${resolution.commit}`
  }
  return null
}

/** `1.0.0(zod@3.23.8)(patch_hash=x)` → `1.0.0`. */
function stripPeers(reference: string): string {
  const paren = reference.indexOf('(')
  return paren === -1 ? reference : reference.slice(0, paren)
}

/**
 * Dependency names; an aliased one names its target in the reference
 * (`alias: real@1.0.0` in v9, `alias: /real@1.0.0` in v6).
 */
function pnpmDependencyNames(...maps: Array<Record<string, string> | undefined>): string[] {
  const names = new Set<string>()
  for (const map of maps) {
    for (const [key, reference] of Object.entries(map ?? {})) {
      const ref = stripPeers(reference)
      const target = /^(?:link|file|workspace):/.test(ref)
        ? null
        : splitAtVersion(ref.replace(/^\//, ''))
      names.add(target && isPackageName(target.name) ? target.name : key)
    }
  }
  return [...names].sort(compareText)
}
