// bun.lock (Bun 1.2 and later; not the binary bun.lockb): JSONC with trailing
// commas. `packages` maps an install path (`zod`, `postbox-mcp/zod` for a copy
// nested under postbox-mcp) to an array whose first element is `name@resolution`:
//   npm       [ "zod@3.23.8", "<tarball URL, or '' for the default registry>", {info}, "sha512-..." ]
//   tarball   [ "x@https://...", {info} ]     git  [ "x@github:u/r#sha", {info}, "<tag>" ]
//   folder    [ "x@file:path", {info} ]       link [ "x@link:path", {info} ]
//   workspace [ "x@workspace:path" ]          root [ "x@root:", {bin} ]
// (Bun's writer, src/install/lockfile/bun.lock.zig.) The key is the location.
// Folders, links, workspaces and the root are in the repository: not listed.
import { z } from 'zod'
import type { Lockfile } from '../types.js'
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
import { checkObject, parseJsonDocument, properties, property, toValue } from './json.js'

const RootSchema = z.object({ lockfileVersion: z.number() })

const InfoSchema = z.object({
  dependencies: DependencyMapSchema.optional(),
  optionalDependencies: DependencyMapSchema.optional(),
  peerDependencies: DependencyMapSchema.optional(),
})

const NpmEntrySchema = z.tuple([z.string(), z.string(), InfoSchema, z.string()])

const OtherEntrySchema = z.tuple([z.string(), InfoSchema]).rest(z.unknown())

const IdentSchema = z.tuple([z.string()]).rest(z.unknown())

const LOCAL = /^(?:workspace|link|root|file):/

export function parseBunLockfile(path: string, text: string): Lockfile {
  const ctx: ParseContext = { path, tool: 'bun' }
  const doc = parseJsonDocument(ctx, stripBom(text), true)
  checkObject(doc, doc.root, 'the file')
  const root = parseShape(ctx, 1, 'the file', RootSchema, toValue(doc.root, ['packages']))
  if (root.lockfileVersion !== 0 && root.lockfileVersion !== 1) {
    fail(ctx, 1, `unsupported lockfileVersion ${root.lockfileVersion}; supported: 0 and 1`)
  }
  const packagesNode = property(doc.root, 'packages')
  const list = packagesNode ? properties(doc, packagesNode, '"packages"') : []
  checkEntryCount(ctx, list.length)

  const entries: PackageEntry[] = []
  for (const { key, line, value } of list) {
    const what = `package ${quote(key)}`
    const array = toValue(value)
    const [ident] = parseShape(ctx, line, what, IdentSchema, array)
    const split = splitAtVersion(ident)
    if (!split) fail(ctx, line, `${what} has an invalid name@version ${quote(ident)}`)
    if (LOCAL.test(split.rest)) continue
    // A registry version has neither ":" nor "/"; tarballs and git sources do.
    const fromRegistry = !/[:/]/.test(split.rest)
    const common = {
      name: checkName(ctx, line, split.name),
      version: checkVersion(ctx, line, split.rest),
      location: key,
      line,
    }
    if (fromRegistry) {
      const [, registry, info, integrity] = parseShape(ctx, line, what, NpmEntrySchema, array)
      entries.push({
        ...common,
        resolved: registry === '' ? null : registry,
        integrity: integrity === '' ? null : integrity,
        dependencies: dependencyNames(
          info.dependencies,
          info.optionalDependencies,
          info.peerDependencies,
        ),
      })
    } else {
      const [, info] = parseShape(ctx, line, what, OtherEntrySchema, array)
      entries.push({
        ...common,
        resolved: split.rest,
        integrity: null,
        dependencies: dependencyNames(
          info.dependencies,
          info.optionalDependencies,
          info.peerDependencies,
        ),
      })
    }
  }
  return finishLockfile(ctx, 'bun', entries)
}
