// package-lock.json and npm-shrinkwrap.json (one format), lockfileVersion 1, 2 and 3.
// v1 nests a `dependencies` tree that mirrors node_modules; v2 and v3 list
// `packages` by node_modules path (v2 also keeps the v1 tree, which npm 7+
// ignores, and so do we). Locations are node_modules paths in every version,
// so an instance keeps its location when a project moves from v1 to v3.
//
// Not registry installs, so not listed: the root project, workspace packages
// (a `packages` key without node_modules: their code is in the repository),
// and links (`link: true`; in v1 a `file:` version without integrity), whose
// target is one of those. Packages installed beneath a workspace
// (`packages/a/node_modules/x`) are listed.
import { z } from 'zod'
import type { Lockfile, LockfileFormat } from '../types.js'
import {
  checkEntryCount,
  checkName,
  checkVersion,
  DependencyMapSchema,
  dependencyNames,
  fail,
  finishLockfile,
  type PackageEntry,
  type ParseContext,
  parseShape,
  quote,
  splitAtVersion,
  stripBom,
} from './common.js'
import {
  checkObject,
  parseJsonDocument,
  properties,
  property,
  toValue,
  type JsonDocument,
} from './json.js'

const RootSchema = z.object({ lockfileVersion: z.number() })

/** A v1 `dependencies` entry, without its nested `dependencies` (walked separately). */
const V1EntrySchema = z.object({
  version: z.string(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  requires: DependencyMapSchema.optional(),
  bundled: z.boolean().optional(),
})

/** A v2/v3 `packages` entry. */
const PackageEntrySchema = z.object({
  name: z.string().optional(),
  version: z.string().optional(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  link: z.boolean().optional(),
  inBundle: z.boolean().optional(),
  dependencies: DependencyMapSchema.optional(),
  optionalDependencies: DependencyMapSchema.optional(),
  peerDependencies: DependencyMapSchema.optional(),
})

/** `node_modules/<name>` at the end of a path; a scoped name has two segments. */
const INSTALL_PATH = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/
const HAS_NODE_MODULES = /(?:^|\/)node_modules(?:\/|$)/

const FORMATS: Record<number, LockfileFormat> = { 1: 'npm-v1', 2: 'npm-v2', 3: 'npm-v3' }

export function parseNpmLockfile(path: string, text: string): Lockfile {
  const ctx: ParseContext = { path, tool: 'npm' }
  const doc = parseJsonDocument(ctx, stripBom(text), false)
  checkObject(doc, doc.root, 'the file')
  const { lockfileVersion } = parseShape(
    ctx,
    1,
    'the file',
    RootSchema,
    toValue(doc.root, ['packages', 'dependencies']),
  )
  const format = FORMATS[lockfileVersion]
  if (!format) {
    fail(
      ctx,
      1,
      `unsupported lockfileVersion ${lockfileVersion}; supported: 1 (npm 5 and 6), 2 and 3 (npm 7 and later)`,
    )
  }
  const entries = format === 'npm-v1' ? readTree(doc) : readPackages(doc)
  return finishLockfile(ctx, format, entries)
}

function readPackages(doc: JsonDocument): PackageEntry[] {
  const { ctx } = doc
  const packagesNode = property(doc.root, 'packages')
  if (!packagesNode) fail(ctx, 1, `lockfileVersion 2 and 3 need a "packages" object`)
  const list = properties(doc, packagesNode, '"packages"')
  checkEntryCount(ctx, list.length)
  const entries: PackageEntry[] = []
  for (const { key, line, value } of list) {
    if (key === '') continue
    const folder = INSTALL_PATH.exec(key)?.[1]
    if (folder === undefined) {
      if (HAS_NODE_MODULES.test(key)) fail(ctx, line, `malformed package path ${quote(key)}`)
      continue
    }
    const what = `package ${quote(key)}`
    const entry = parseShape(ctx, line, what, PackageEntrySchema, toValue(value))
    if (entry.link) continue
    if (entry.version === undefined) fail(ctx, line, `${what} has no version`)
    entries.push({
      name: checkName(ctx, line, entry.name ?? folder),
      version: checkVersion(ctx, line, entry.version),
      resolved: entry.resolved ?? null,
      integrity: entry.integrity ?? null,
      location: key,
      line,
      dependencies: dependencyNames(
        entry.dependencies,
        entry.optionalDependencies,
        entry.peerDependencies,
      ),
      ...(entry.inBundle ? { bundled: true } : {}),
    })
  }
  return entries
}

/** Walks the v1 tree; the location is the node_modules path the nesting describes. */
function readTree(doc: JsonDocument): PackageEntry[] {
  const entries: PackageEntry[] = []
  const walk = (dependencies: JsonDocument['root'], parent: string): void => {
    const list = properties(doc, dependencies, `"dependencies" of ${quote(parent || 'the root')}`)
    checkEntryCount(doc.ctx, entries.length + list.length)
    for (const { key, line, value } of list) {
      const location = `${parent}${parent ? '/' : ''}node_modules/${key}`
      const entry = readTreeEntry(doc, key, line, value, location)
      if (entry) entries.push(entry)
      const nested = property(value, 'dependencies')
      if (nested) walk(nested, location)
    }
  }
  const top = property(doc.root, 'dependencies')
  if (top) walk(top, '')
  return entries
}

function readTreeEntry(
  doc: JsonDocument,
  folder: string,
  line: number,
  node: JsonDocument['root'],
  location: string,
): PackageEntry | null {
  const { ctx } = doc
  const what = `package ${quote(location)}`
  if (node.type !== 'object') fail(ctx, line, `${what} is not an object`)
  const entry = parseShape(ctx, line, what, V1EntrySchema, toValue(node, ['dependencies']))
  checkName(ctx, line, folder)
  // v1 links a folder dependency; a `file:` tarball has an integrity.
  if (entry.version.startsWith('file:') && entry.integrity === undefined) return null
  // An alias records `npm:<real name>@<version>` as its version.
  const alias = entry.version.startsWith('npm:') ? splitAtVersion(entry.version.slice(4)) : null
  if (entry.version.startsWith('npm:') && !alias) {
    fail(ctx, line, `${what} has an invalid alias version ${quote(entry.version)}`)
  }
  return {
    name: checkName(ctx, line, alias?.name ?? folder),
    version: checkVersion(ctx, line, alias?.rest ?? entry.version),
    resolved: entry.resolved ?? null,
    integrity: entry.integrity ?? null,
    location,
    line,
    dependencies: dependencyNames(entry.requires),
    ...(entry.bundled ? { bundled: true } : {}),
  }
}
