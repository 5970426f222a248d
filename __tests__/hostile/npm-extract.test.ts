// Review exactly what npm would install: readTarball against a real
// extraction by pacote (pacote.extract, npm's own code path: node-tar with
// pacote's filter, strip: 1), on archives crafted here. Every file we review
// is a file npm writes, with the same bytes; every file npm writes is one we
// review, or one we report (an unsafe path npm would strip and write).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import pacote from 'pacote'
import { Pax } from 'tar'
import { isReviewError } from '../../src/errors.js'
import type { PackageContents } from '../../src/fetch/types.js'
import { readTarball } from '../../src/fetch/untar.js'
import { buildTar, rawBlock, tarEntry, type RawEntry } from '../helpers/pack.js'
import { packageInputs } from './corpus.js'

let work: string
let cache: string
let count = 0

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mdr-npm-extract-'))
  cache = join(work, 'cache')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Path -> hex of every file pacote.extract writes, or null when pacote refuses the archive. */
async function npmInstalls(tgz: Buffer): Promise<Map<string, string> | null> {
  const id = ++count
  const file = join(work, `${id}.tgz`)
  const dest = join(work, `x${id}`)
  writeFileSync(file, tgz)
  try {
    await pacote.extract(`file:${file}`, dest, { cache })
  } catch {
    // It reads package.json after extracting: without one it throws, with the files written.
    if (!existsSync(dest)) return null
  }
  const files = new Map<string, string>()
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) files.set(relative(dest, full), readFileSync(full).toString('hex'))
    }
  }
  walk(dest)
  rmSync(dest, { recursive: true, force: true })
  return files
}

function reviewed(contents: PackageContents): Map<string, string> {
  return new Map([...contents.files].map(([p, b]) => [p, Buffer.from(b).toString('hex')]))
}

/**
 * Ours and npm's agree, as the module header says. Unless `bothRead`, an
 * archive that either side refuses whole passes: we then review nothing and
 * report the package unverified.
 */
async function expectSameAsNpm(tgz: Buffer, bothRead = false): Promise<void> {
  let contents: PackageContents
  try {
    contents = readTarball(tgz)
  } catch (err) {
    if (!isReviewError(err) || bothRead) throw err
    return
  }
  const npm = await npmInstalls(tgz)
  if (npm === null && bothRead) throw new Error('pacote.extract refused the archive')
  if (npm === null) return
  const ours = reviewed(contents)
  for (const [path, hex] of ours) expect([path, npm.get(path)]).toEqual([path, hex])
  // What npm writes and we did not read is reported: a path npm strips to a place inside the
  // package (`/etc/x`, `../x` with strip: 1), or a bound ("not fully reviewed").
  const reported =
    contents.incomplete !== null ||
    contents.archiveIssues.some((i) => i.kind === 'absolute-path' || i.kind === 'parent-traversal')
  for (const path of npm.keys()) {
    if (!ours.has(path)) expect([path, reported]).toEqual([path, true])
  }
}

const tgz = (entries: Array<RawEntry | Buffer>): Buffer => gzipSync(buildTar(entries))
const pax = (fields: Record<string, string>, header: RawEntry): Buffer =>
  Buffer.concat([new Pax(fields).encode(), tarEntry(header)])

// Edge cases of node-tar and pacote, found by the properties here and in
// properties.test.ts; each one an archive npm reads in a way worth pinning.
const EDGES: Array<[string, Array<RawEntry | Buffer>]> = [
  [
    'pacote installs package/.gitignore as .npmignore',
    [
      { path: 'package/.gitignore', body: 'module.exports = 1\n' },
      { path: 'package/lib/.gitignore', body: 'x' },
      { path: 'package/lib/.npmignore', body: 'y' },
    ],
  ],
  [
    'a .gitignore after a .npmignore in the same directory is dropped',
    [
      { path: 'package/.npmignore', body: 'first' },
      { path: 'package/.gitignore', body: 'second' },
    ],
  ],
  [
    'a file named with a trailing slash is an old-style directory',
    [
      { path: 'package/index.js', body: 'ok' },
      { path: 'package/lib/', body: '' },
    ],
  ],
  [
    'a PAX path with a newline: node-tar reads the records line by line',
    [
      { path: 'package/index.js', body: 'ok' },
      pax({ path: 'package/a\nb.js' }, { path: 'package/shown.js', body: 'hidden' }),
    ],
  ],
  [
    'a PAX record before an invalid header carries over to the next entry',
    [
      { path: 'package/index.js', body: 'ok' },
      pax({ path: 'package/carried.js' }, { path: '', body: '' }),
      { path: 'package/next.js', body: 'next' },
    ],
  ],
  [
    'a non-link with a PAX link path is invalid',
    [
      { path: 'package/index.js', body: 'ok' },
      pax({ linkpath: '/etc/passwd' }, { path: 'package/x.js', body: 'x' }),
    ],
  ],
  [
    'a GNU long name (L) entry names the file after it',
    [
      rawBlock({ name: '././@LongLink', typeflag: 'L', size: 20 }),
      Buffer.concat([Buffer.from('package/long-name.js'), Buffer.alloc(492)]),
      tarEntry({ path: 'package/short.js', body: 'long' }),
    ],
  ],
  [
    'absolute and drive paths: npm strips the root and writes them, we report them',
    [
      { path: '/etc/cron.d/x', body: 'abs' },
      { path: 'package/C:/win.js', body: 'drive' },
      { path: 'package/./C:/dot.js', body: 'dot-drive' },
      { path: 'package/index.js', body: 'ok' },
    ],
  ],
]

/** The same edges as tars, and one that buildTar cannot write: no end-of-archive blocks. */
const EDGE_TARS: Array<[string, Buffer]> = [
  ...EDGES.map(([name, entries]): [string, Buffer] => [name, buildTar(entries)]),
  [
    'a tar cut at a block boundary, with no end-of-archive blocks',
    tarEntry({ path: 'package/index.js', body: 'ok' }),
  ],
]

describe('readTarball reviews what pacote.extract installs', () => {
  test.each(EDGE_TARS)('%s', async (_name, tar) => {
    await expectSameAsNpm(gzipSync(tar), true)
  })

  test('every archive of the hostile corpus', async () => {
    // Not the bombs: bounded on our side, not on npm's (and 20,000 files are slow to write).
    const bombs = ['gzip-bomb', 'too-many-entries', 'huge-single-file']
    for (const input of packageInputs()) {
      if (bombs.includes(input.id)) continue
      if (input.class === 'archive' || input.id === 'hostile-file-names') {
        await expectSameAsNpm(input.new)
      }
    }
  })

  test('random archives of hostile names and types', async () => {
    const segment = fc.constantFrom(
      ...['a', 'b.js', 'lib', '.gitignore', '.npmignore', 'node_modules', '..', '.', ''],
      // No `\\`: we read it as a separator, as npm on Windows does; npm on Linux keeps it in
      // the name. The bytes are reviewed either way (untar.test.ts pins it).
      ...['C:', 'é', 'x'.repeat(110), ' ', 'a\nb'],
    )
    const path = fc
      .tuple(
        fc.constantFrom('', '/', 'package/', './', 'other/'),
        fc.array(segment, { minLength: 1, maxLength: 5 }),
      )
      .map(([prefix, parts]) => prefix + parts.join('/'))
    const entry: fc.Arbitrary<RawEntry> = fc.record({
      path,
      type: fc.constantFrom(
        'File',
        'OldFile',
        'ContiguousFile',
        'Directory',
        'SymbolicLink',
        'Link',
        'FIFO',
      ),
      body: fc.uint8Array({ maxLength: 300 }),
      linkpath: fc.oneof(fc.constant(''), path),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 6 }), async (entries) => {
        await expectSameAsNpm(tgz(entries))
      }),
      { seed: 20_240_911, numRuns: 40 },
    )
  })
})
