// yarn.lock of Yarn Berry (2 and later): YAML with a `__metadata` entry.
// Each other top-level key lists the descriptors resolved to one package
// (`"zod@npm:^3.22.0, zod@npm:^3.23.8"`); that list, sorted, is its location.
//
// Yarn installs what `resolution` names (a locator: `zod@npm:3.23.8`, or a
// URL, a patch, a git commit), so the name comes from it, and for npm
// locators the version too, which must agree with `version`. Yarn records no
// tarball URL: `resolved` is the locator itself, so a change of source shows.
// `checksum` is Yarn's own hash of its cache archive, not SRI of the npm
// tarball: it goes to `checksum`, and `integrity` stays null.
//
// Not registry installs, so not listed: `workspace:` packages (the project's
// own), and `link:`, `portal:` and `file:` folders; their code is in the
// repository. A `file:` tarball is listed.
import { z } from 'zod'
import type { Lockfile } from '../types.js'
import {
  asMap,
  checkEntryCount,
  checkName,
  checkVersion,
  compareText,
  DependencyMapSchema,
  dependencyNames,
  fail,
  finishLockfile,
  own,
  type PackageEntry,
  type ParseContext,
  parseShape,
  quote,
  splitAtVersion,
  stripBom,
} from './common.js'
import { parseYamlDocuments } from './yaml.js'

const MetadataSchema = z.object({ version: z.string() })

const EntrySchema = z.object({
  version: z.string(),
  resolution: z.string(),
  checksum: z.string().optional(),
  dependencies: DependencyMapSchema.optional(),
  peerDependencies: DependencyMapSchema.optional(),
})

const LOCAL_PROTOCOLS = ['workspace:', 'link:', 'portal:']

/** A `file:` locator of a folder (left out), not of a tarball (kept: its bytes are opaque). */
const FILE_FOLDER = /^file:(?!.*\.(?:tgz|tar\.gz)(?:::|$))/

// Multiple descriptors in one key, as Yarn splits them (MULTIPLE_KEYS_REGEXP).
const KEY_SEPARATOR = /\s*,\s*/

export function parseYarnBerryLockfile(path: string, text: string): Lockfile {
  const ctx: ParseContext = { path, tool: 'yarn' }
  const docs = parseYamlDocuments(ctx, stripBom(text))
  const [doc] = docs
  if (!doc) fail(ctx, 1, 'the file is empty')
  if (docs.length > 1) fail(ctx, null, 'more than one YAML document')
  const root = asMap(ctx, 1, 'the file', doc.value)
  const keys = doc.keys([])
  const metadataLine = keys.find((k) => k.key === '__metadata')?.line ?? 1
  parseShape(ctx, metadataLine, '"__metadata"', MetadataSchema, own(root, '__metadata'))
  checkEntryCount(ctx, keys.length)

  const entries: PackageEntry[] = []
  for (const { key, line } of keys) {
    if (key === '__metadata') continue
    const location = key.split(KEY_SEPARATOR).sort(compareText).join(', ')
    const entry = readEntry(ctx, line, location, own(root, key))
    if (entry) entries.push(entry)
  }
  return finishLockfile(ctx, 'yarn-berry', entries)
}

function readEntry(
  ctx: ParseContext,
  line: number,
  location: string,
  value: unknown,
): PackageEntry | null {
  const what = `entry ${quote(location)}`
  const entry = parseShape(ctx, line, what, EntrySchema, value)
  const locator = splitAtVersion(entry.resolution)
  if (!locator) fail(ctx, line, `${what} has an invalid resolution ${quote(entry.resolution)}`)
  if (LOCAL_PROTOCOLS.some((protocol) => locator.rest.startsWith(protocol))) return null
  if (FILE_FOLDER.test(locator.rest)) return null
  let version = entry.version
  if (locator.rest.startsWith('npm:')) {
    // `npm:1.2.3`, possibly with bindings: `npm:1.2.3::__archiveUrl=...`.
    const resolved = locator.rest.slice('npm:'.length).split('::')[0] ?? ''
    if (resolved !== entry.version) {
      fail(
        ctx,
        line,
        `${what}: version ${quote(entry.version)} does not match resolution ${quote(entry.resolution)}`,
      )
    }
    version = resolved
  }
  return {
    name: checkName(ctx, line, locator.name),
    version: checkVersion(ctx, line, version),
    resolved: entry.resolution,
    integrity: null,
    location,
    line,
    dependencies: dependencyNames(entry.dependencies, entry.peerDependencies),
    ...(entry.checksum === undefined ? {} : { checksum: entry.checksum }),
  }
}
