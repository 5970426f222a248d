import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync, zstdCompressSync } from 'node:zlib'
import { Pax } from 'tar'
import { isReviewError } from '../../src/errors.js'
import { DEFAULT_LIMITS, type ExtractLimits, type PackageContents } from '../../src/fetch/types.js'
import { readTarball, resolveEntryPath } from '../../src/fetch/untar.js'
import {
  buildTar,
  packDir,
  packFiles,
  padBlock,
  rawBlock,
  rechecksum,
  tarEntry,
} from '../helpers/pack.js'

const text = (contents: PackageContents, path: string): string | undefined => {
  const bytes = contents.files.get(path)
  return bytes === undefined ? undefined : Buffer.from(bytes).toString()
}

const limits = (overrides: Partial<ExtractLimits>): ExtractLimits => ({
  ...DEFAULT_LIMITS,
  ...overrides,
})

function expectArchiveError(run: () => unknown, pattern: RegExp): void {
  let caught: unknown
  try {
    run()
  } catch (err) {
    caught = err
  }
  expect(isReviewError(caught) && caught.code).toBe('EARCHIVE')
  expect((caught as Error).message).toMatch(pattern)
}

describe('readTarball: ordinary packages', () => {
  test('reads every file of a package, without the package/ prefix', () => {
    const contents = readTarball(
      packFiles({ 'package.json': '{"name":"a","version":"1.0.0"}', 'lib/index.js': 'x()' }),
    )
    expect([...contents.files.keys()].sort()).toEqual(['lib/index.js', 'package.json'])
    expect(text(contents, 'lib/index.js')).toBe('x()')
    expect(contents.archiveIssues).toEqual([])
    expect(contents.incomplete).toBeNull()
  })

  test('reads a tarball packed from a directory by node-tar', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'untar-test-'))
    try {
      await mkdir(join(dir, 'src', 'deep'), { recursive: true })
      await writeFile(join(dir, 'package.json'), '{"name":"d","version":"2.0.0"}')
      await writeFile(join(dir, 'src', 'deep', 'a.js'), 'module.exports = 1')
      const tgz = await packDir(dir)
      expect(await packDir(dir)).toEqual(tgz) // deterministic
      const contents = readTarball(tgz)
      expect([...contents.files.keys()].sort()).toEqual(['package.json', 'src/deep/a.js'])
      expect(contents.archiveIssues).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('strips the first path component whatever its name, entry by entry', () => {
    const contents = readTarball(
      gzipSync(
        buildTar([
          { path: 'mypkg-1.0.0/package.json', body: '{}' },
          { path: 'node/lib/a.js', body: 'a' },
        ]),
      ),
    )
    expect([...contents.files.keys()].sort()).toEqual(['lib/a.js', 'package.json'])
  })

  test('reads an uncompressed tar', () => {
    const contents = readTarball(buildTar([{ path: 'package/index.js', body: 'plain' }]))
    expect(text(contents, 'index.js')).toBe('plain')
  })

  test('reads a zstd-compressed tar, which npm (node-tar) also extracts', () => {
    const contents = readTarball(
      zstdCompressSync(buildTar([{ path: 'package/z.js', body: 'zstd' }])),
    )
    expect(text(contents, 'z.js')).toBe('zstd')
  })

  test('skips directory entries silently, including old-style ones with a trailing slash', () => {
    const contents = readTarball(
      buildTar([
        { path: 'package/lib/', type: 'Directory' },
        { path: 'package/old/', type: 'File' }, // node-tar reads a File with a trailing / as a directory
        { path: 'package/lib/a.js', body: 'a' },
      ]),
    )
    expect([...contents.files.keys()]).toEqual(['lib/a.js'])
    expect(contents.archiveIssues).toEqual([])
    expect(contents.incomplete).toBeNull()
  })

  test('the last of duplicate entries wins, as in npm extraction, and nothing is reported', () => {
    const contents = readTarball(
      buildTar([
        { path: 'package/index.js', body: 'first' },
        { path: 'package/index.js', body: 'second' },
      ]),
    )
    expect(text(contents, 'index.js')).toBe('second')
    expect(contents.files.size).toBe(1)
    expect(contents.archiveIssues).toEqual([])
  })

  test('an entry that is only the first component is not a file of the package', () => {
    const contents = readTarball(
      buildTar([
        { path: 'package', body: 'root itself' },
        { path: 'package/a.js', body: 'a' },
      ]),
    )
    expect([...contents.files.keys()]).toEqual(['a.js'])
    expect(contents.archiveIssues).toEqual([])
  })

  test('normalises ./ segments the way npm strips: a leading ./ is the first component', () => {
    const contents = readTarball(
      buildTar([
        { path: 'package/./lib//a.js', body: 'a' },
        { path: './package/b.js', body: 'b' },
      ]),
    )
    expect([...contents.files.keys()].sort()).toEqual(['lib/a.js', 'package/b.js'])
  })

  test('reads a file of an old (pre-POSIX) archive, whose type flag is NUL', () => {
    const block = rawBlock({ name: 'package/old.js', typeflag: '\0', size: 3 })
    const contents = readTarball(buildTar([block, padBlock(Buffer.from('old'))]))
    expect(text(contents, 'old.js')).toBe('old')
  })

  test('reads ContiguousFile entries as files', () => {
    const contents = readTarball(
      buildTar([{ path: 'package/c.js', type: 'ContiguousFile', body: 'c' }]),
    )
    expect(text(contents, 'c.js')).toBe('c')
  })

  test('a gzipped tar whose first name starts with gzip magic bytes is not inflated twice', () => {
    const entry = tarEntry({ path: 'Xgz/index.js', body: 'magic' })
    entry[0] = 0x1f
    entry[1] = 0x8b
    rechecksum(entry.subarray(0, 512))
    const tar = buildTar([entry])
    expect(text(readTarball(gzipSync(tar)), 'index.js')).toBe('magic')
    // Uncompressed, node-tar (and so npm) takes it for gzip and fails too.
    expectArchiveError(() => readTarball(tar), /gzip/)
  })
})

describe('readTarball: header formats', () => {
  test('reads a PAX long path', () => {
    const long = 'x'.repeat(150) + '.js'
    const entry = tarEntry({ path: `package/${long}`, body: 'long' })
    expect(entry.subarray(156, 157).toString()).toBe('x') // a PAX header came first
    const contents = readTarball(gzipSync(buildTar([entry])))
    expect(text(contents, long)).toBe('long')
  })

  test('checks the PAX path, not the ustar name it overrides', () => {
    const pax = new Pax({ path: 'package/../../evil.js' }).encode()
    const file = tarEntry({ path: 'package/benign.js', body: 'evil' })
    const contents = readTarball(buildTar([Buffer.concat([pax, file])]))
    expect(contents.files.size).toBe(0)
    expect(contents.archiveIssues).toEqual([
      expect.objectContaining({ entry: 'package/../../evil.js', kind: 'parent-traversal' }),
    ])
  })

  test('a global PAX header cannot rename the entries after it', () => {
    const global = new Pax({ path: 'package/evil.js' }, true).encode()
    const contents = readTarball(buildTar([global, { path: 'package/a.js', body: 'a' }]))
    expect([...contents.files.keys()]).toEqual(['a.js'])
  })

  test('reads a GNU long name (L) entry', () => {
    const long = 'package/' + 'dir/'.repeat(30) + 'file.js'
    const name = Buffer.from(long + '\0')
    const contents = readTarball(
      buildTar([
        rawBlock({ name: '././@LongLink', typeflag: 'L', size: name.length }),
        padBlock(name),
        { path: long.slice(0, 99), body: 'gnu' },
      ]),
    )
    expect(text(contents, long.slice('package/'.length))).toBe('gnu')
  })

  test('reports a PAX header too large for node-tar, which npm ignores too', () => {
    const pax = new Pax({ path: 'package/' + 'p'.repeat(1024 * 1024 + 10) }).encode()
    const contents = readTarball(buildTar([pax, { path: 'package/a.js', body: 'a' }]))
    expect([...contents.files.keys()]).toEqual(['a.js'])
    expect(contents.archiveIssues).toEqual([
      expect.objectContaining({ kind: 'other-type', detail: expect.stringMatching(/ignored/) }),
    ])
  })

  test('reports, and skips, a block with a bad checksum as npm does', () => {
    const bad = tarEntry({ path: 'package/bad.js', body: '' })
    bad[0] = 'Q'.charCodeAt(0) // checksum no longer matches
    const contents = readTarball(buildTar([bad, { path: 'package/good.js', body: 'g' }]))
    expect([...contents.files.keys()]).toEqual(['good.js'])
    expect(contents.archiveIssues).toEqual([
      expect.objectContaining({
        entry: '(archive)',
        detail: expect.stringMatching(/1 invalid tar header/),
      }),
    ])
  })

  test('reports an entry of an unknown type', () => {
    const block = rawBlock({ name: 'package/sparse.bin', typeflag: 'S', size: 0 })
    const contents = readTarball(buildTar([block, { path: 'package/a.js', body: 'a' }]))
    expect([...contents.files.keys()]).toEqual(['a.js'])
    expect(contents.archiveIssues).toEqual([
      expect.objectContaining({ entry: 'package/sparse.bin', kind: 'other-type' }),
    ])
  })
})

describe('readTarball: entries npm would not install as files', () => {
  test('reports links, devices and FIFOs and extracts none of them', () => {
    const contents = readTarball(
      gzipSync(
        buildTar([
          { path: 'package/index.js', body: 'ok' },
          { path: 'package/sym', type: 'SymbolicLink', linkpath: '/etc/passwd' },
          { path: 'package/hard', type: 'Link', linkpath: 'package/index.js' },
          { path: 'package/tty', type: 'CharacterDevice' },
          { path: 'package/disk', type: 'BlockDevice' },
          { path: 'package/pipe', type: 'FIFO' },
        ]),
      ),
    )
    expect([...contents.files.keys()]).toEqual(['index.js'])
    expect(contents.archiveIssues.map((i) => [i.entry, i.kind])).toEqual([
      ['package/sym', 'symlink'],
      ['package/hard', 'hardlink'],
      ['package/tty', 'device'],
      ['package/disk', 'device'],
      ['package/pipe', 'other-type'],
    ])
    expect(contents.archiveIssues[0]?.detail).toContain('/etc/passwd')
    expect(contents.incomplete).toBeNull()
  })

  test('reports absolute paths, before and after the first component is stripped', () => {
    const contents = readTarball(
      buildTar([
        { path: '/etc/passwd', body: 'x' },
        { path: 'package//etc/shadow', body: 'x' },
        { path: 'package/C:/Windows/x.dll', body: 'x' },
      ]),
    )
    expect(contents.files.size).toBe(0)
    expect(contents.archiveIssues.map((i) => [i.entry, i.kind])).toEqual([
      ['/etc/passwd', 'absolute-path'],
      ['package//etc/shadow', 'absolute-path'],
      ['package/C:/Windows/x.dll', 'absolute-path'],
    ])
  })

  test('reports .. traversal anywhere in the path', () => {
    const contents = readTarball(
      buildTar([
        { path: 'package/../../.bashrc', body: 'x' },
        { path: '../outside.js', body: 'x' },
        { path: 'package/lib/../../x.js', body: 'x' },
      ]),
    )
    expect(contents.files.size).toBe(0)
    expect(contents.archiveIssues.map((i) => i.kind)).toEqual([
      'parent-traversal',
      'parent-traversal',
      'parent-traversal',
    ])
  })

  test('treats \\ as a separator (Windows) and refuses Windows drive paths', () => {
    const contents = readTarball(
      buildTar([
        { path: 'package\\lib\\win.js', body: 'w' },
        { path: 'C:\\Users\\x\\evil.js', body: 'x' },
        { path: 'package\\..\\..\\up.js', body: 'x' },
      ]),
    )
    expect([...contents.files.keys()]).toEqual(['lib/win.js'])
    expect(contents.archiveIssues.map((i) => [i.entry, i.kind])).toEqual([
      ['C:\\Users\\x\\evil.js', 'absolute-path'],
      ['package\\..\\..\\up.js', 'parent-traversal'],
    ])
  })
})

describe('readTarball: limits', () => {
  test('stops after maxFiles entries', () => {
    const tar = buildTar(
      ['a', 'b', 'c', 'd', 'e'].map((n) => ({ path: `package/${n}.js`, body: n })),
    )
    const contents = readTarball(tar, limits({ maxFiles: 3 }))
    expect([...contents.files.keys()]).toEqual(['a.js', 'b.js', 'c.js'])
    expect(contents.incomplete).toMatch(/maxFiles \(3\)/)
    expect(contents.incomplete).toContain('package/d.js')
  })

  test('skips a file over maxFileBytes and reads the rest', () => {
    const tar = buildTar([
      { path: 'package/big.js', body: 'x'.repeat(20) },
      { path: 'package/small.js', body: 'ok' },
    ])
    const contents = readTarball(tar, limits({ maxFileBytes: 10 }))
    expect([...contents.files.keys()]).toEqual(['small.js'])
    expect(contents.incomplete).toMatch(/maxFileBytes \(10\)/)
    expect(contents.incomplete).toContain('big.js')
  })

  test('skips a path deeper than maxPathDepth', () => {
    const tar = buildTar([
      { path: 'package/a/b/c/d.js', body: 'deep' },
      { path: 'package/a/b/c.js', body: 'ok' },
    ])
    const contents = readTarball(tar, limits({ maxPathDepth: 3 }))
    expect([...contents.files.keys()]).toEqual(['a/b/c.js'])
    expect(contents.incomplete).toMatch(/maxPathDepth \(3\)/)
    expect(contents.incomplete).toContain('a/b/c/d.js')
  })

  test('the first limit hit is the reason given', () => {
    const tar = buildTar([
      { path: 'package/a/b/c/d.js', body: 'deep' },
      { path: 'package/big.js', body: 'x'.repeat(20) },
    ])
    const contents = readTarball(tar, limits({ maxPathDepth: 3, maxFileBytes: 10 }))
    expect(contents.incomplete).toMatch(/maxPathDepth/)
  })

  test('bounds an uncompressed tar by maxTotalBytes', () => {
    const tar = buildTar([
      { path: 'package/a.js', body: 'a' },
      { path: 'package/b.js', body: 'b'.repeat(4096) },
    ])
    const contents = readTarball(tar, limits({ maxTotalBytes: 2048 }))
    expect([...contents.files.keys()]).toEqual(['a.js'])
    expect(contents.incomplete).toMatch(/maxTotalBytes \(2048 bytes\)/)
  })

  test('stops a gzip bomb at maxTotalBytes without inflating it', () => {
    const bombSize = 50 * 1024 * 1024
    const tar = Buffer.concat([
      tarEntry({ path: 'package/package.json', body: '{"name":"bomb","version":"1.0.0"}' }),
      tarEntry({ path: 'package/zeros.bin', size: bombSize }).subarray(0, 512),
      Buffer.alloc(bombSize + 1024),
    ])
    const bomb = gzipSync(tar, { level: 9 })
    expect(bomb.length).toBeLessThan(bombSize / 500)

    const before = process.memoryUsage().arrayBuffers
    // maxFileBytes above the bomb's size, so that the total bound is what stops it
    const contents = readTarball(
      bomb,
      limits({ maxTotalBytes: 1024 * 1024, maxFileBytes: 2 * bombSize }),
    )
    const grown = process.memoryUsage().arrayBuffers - before

    expect(contents.incomplete).toMatch(/maxTotalBytes \(1048576 bytes\)/)
    expect([...contents.files.keys()]).toEqual(['package.json'])
    expect(grown).toBeLessThan(20 * 1024 * 1024)
  })

  test('stops a zstd bomb the same way', () => {
    const tar = Buffer.concat([
      tarEntry({ path: 'package/zeros.bin', size: 20 * 1024 * 1024 }).subarray(0, 512),
      Buffer.alloc(20 * 1024 * 1024 + 1024),
    ])
    const contents = readTarball(zstdCompressSync(tar), limits({ maxTotalBytes: 1024 * 1024 }))
    expect(contents.incomplete).toMatch(/maxTotalBytes/)
    expect(contents.files.size).toBe(0)
  })
})

describe('readTarball: not an archive', () => {
  const NO_ENTRY = /^not a gzip or tar archive: no valid tar entry found$/
  test.each([
    [
      'garbage bytes',
      Buffer.from('this is not a tarball at all, just some text'.repeat(40)),
      NO_ENTRY,
    ],
    ['an empty buffer', Buffer.alloc(0), NO_ENTRY],
    [
      'gzip magic followed by garbage',
      Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(600, 7)]),
      /^not a readable gzip archive: .*unknown compression method/,
    ],
    [
      'gzip of text that is not a tar',
      gzipSync(Buffer.from('hello world\n'.repeat(100))),
      NO_ENTRY,
    ],
    [
      'a gzip stream cut short',
      gzipSync(buildTar([{ path: 'package/a.js', body: 'a' }])).subarray(0, 30),
      /^not a readable gzip archive: /,
    ],
  ])('%s -> EARCHIVE', (_name, bytes, message) => {
    expectArchiveError(() => readTarball(bytes), message)
  })

  test('a tar cut in the middle of a file -> EARCHIVE, as npm refuses it', () => {
    const tar = buildTar([{ path: 'package/a.js', body: 'a'.repeat(2000) }]).subarray(0, 1024)
    expectArchiveError(() => readTarball(tar), /truncated in the middle of "package\/a.js"/)
  })
})

describe('resolveEntryPath', () => {
  test.each([
    ['package/index.js', 'index.js'],
    ['anything/lib/x.js', 'lib/x.js'],
    ['package\\lib\\x.js', 'lib/x.js'],
    ['package/./a//b.js', 'a/b.js'],
    ['./package/a.js', 'package/a.js'],
    ['package', null],
    ['package/', null],
    ['package/.', null],
  ])('%s -> %s', (raw, expected) => {
    const result = resolveEntryPath(raw)
    expect(result === null ? null : 'path' in result ? result.path : result.problem).toBe(expected)
  })

  test.each([
    ['/abs/x.js', 'absolute-path'],
    ['package//abs/x.js', 'absolute-path'],
    ['D:\\x.js', 'absolute-path'],
    ['package/c:x.js', 'absolute-path'],
    ['package/../x.js', 'parent-traversal'],
    ['..', 'parent-traversal'],
  ])('%s is refused as %s', (raw, problem) => {
    expect(resolveEntryPath(raw)).toEqual(expect.objectContaining({ problem }))
  })
})
