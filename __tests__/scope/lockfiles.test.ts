// Every lockfile format on the same hand-written project, before and after one
// pull request: postbox-mcp 1.0.0 -> 1.0.1 drops dotenv and adds nodemailer;
// the root moves its zod to 3.24.1 while postbox-mcp keeps its own zod 3.22.4.
// Then broken, hostile and random input: always a ReviewError, never a hang.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { isReviewError, type ReviewError } from '../../src/errors.js'
import { diffLockfiles } from '../../src/scope/changes.js'
import {
  LIMITS,
  LOCKFILE_NAMES,
  parseLockfile,
  type LockfileName,
} from '../../src/scope/lockfiles/index.js'
import type { InstalledPackage, Lockfile, LockfileFormat } from '../../src/scope/types.js'

const FIXTURES = join(process.cwd(), '__tests__/fixtures/lockfiles')

function fixture(dir: string, file: string): string {
  return readFileSync(join(FIXTURES, dir, file), 'utf8')
}

// The fixtures' hashes are stand-ins: sha512 / sha1 of "name@version".
function hash(algorithm: string, id: string, encoding: 'base64' | 'hex'): string {
  return createHash(algorithm).update(id).digest(encoding)
}
const sri = (id: string): string => 'sha512-' + hash('sha512', id, 'base64')

function tarball(registry: string, name: string, version: string): string {
  return `${registry}/${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz`
}

type Source = 'npm' | 'yarn-classic' | 'yarn-berry' | 'pnpm' | 'bun'

/** What each format records about where an instance comes from. */
function recorded(source: Source, name: string, version: string): Partial<InstalledPackage> {
  const id = `${name}@${version}`
  switch (source) {
    case 'npm':
      return { resolved: tarball('https://registry.npmjs.org', name, version), integrity: sri(id) }
    case 'yarn-classic': {
      const url = tarball('https://registry.yarnpkg.com', name, version)
      return { resolved: `${url}#${hash('sha1', id, 'hex')}`, integrity: sri(id) }
    }
    case 'yarn-berry':
      return {
        resolved: `${name}@npm:${version}`,
        integrity: null,
        checksum: '10c0/' + hash('sha512', id, 'hex'),
      }
    case 'pnpm':
    case 'bun':
      return { resolved: null, integrity: sri(id) }
  }
}

/** [name, version, location, line], in location order. */
type Row = [string, string, string, number]

interface FormatCase {
  dir: string
  name: LockfileName
  ext: string
  format: LockfileFormat
  source: Source
  /** Text the entry's line must show, from its location. */
  shows: (location: string) => string
  before: Row[]
  after: Row[]
}

const lastSegment = (location: string): string => `"${location.split('node_modules/').pop()}": {`
const quoted = (location: string): string => `"${location}"`

const npmRows = (lines: number[]): { before: Row[]; after: Row[] } => {
  const [sdk, mail, postbox, nested, zod, schema] = lines as [number, ...number[]]
  const common = (mailRow: Row, postboxVersion: string, zodVersion: string): Row[] => [
    ['@modelcontextprotocol/sdk', '1.0.4', 'node_modules/@modelcontextprotocol/sdk', sdk],
    mailRow,
    ['postbox-mcp', postboxVersion, 'node_modules/postbox-mcp', postbox!],
    ['zod', '3.22.4', 'node_modules/postbox-mcp/node_modules/zod', nested!],
    ['zod', zodVersion, 'node_modules/zod', zod!],
    ['zod-to-json-schema', '3.23.5', 'node_modules/zod-to-json-schema', schema!],
  ]
  return {
    before: common(['dotenv', '16.4.5', 'node_modules/dotenv', mail!], '1.0.0', '3.23.8'),
    after: common(['nodemailer', '6.9.14', 'node_modules/nodemailer', mail!], '1.0.1', '3.24.1'),
  }
}

const CASES: FormatCase[] = [
  {
    dir: 'npm-v1',
    name: 'package-lock.json',
    ext: 'json',
    format: 'npm-v1',
    source: 'npm',
    shows: lastSegment,
    ...npmRows([7, 16, 21, 31, 38, 43]),
  },
  {
    dir: 'npm-v2',
    name: 'package-lock.json',
    ext: 'json',
    format: 'npm-v2',
    source: 'npm',
    shows: quoted,
    ...npmRows([15, 24, 32, 45, 53, 61]),
  },
  {
    dir: 'npm-v3',
    name: 'package-lock.json',
    ext: 'json',
    format: 'npm-v3',
    source: 'npm',
    shows: quoted,
    // The workspace package and its node_modules link are not listed.
    ...npmRows([18, 32, 41, 55, 64, 73]),
  },
  {
    dir: 'npm-shrinkwrap',
    name: 'npm-shrinkwrap.json',
    ext: 'json',
    format: 'npm-v3',
    source: 'npm',
    shows: quoted,
    ...npmRows([15, 25, 34, 48, 57, 66]),
  },
  {
    dir: 'yarn-classic',
    name: 'yarn.lock',
    ext: 'lock',
    format: 'yarn-classic',
    source: 'yarn-classic',
    shows: (location) => location.split(', ')[0] ?? '',
    before: [
      ['@modelcontextprotocol/sdk', '1.0.4', '@modelcontextprotocol/sdk@^1.0.4', 5],
      ['dotenv', '16.4.5', 'dotenv@^16.4.5', 13],
      ['postbox-mcp', '1.0.0', 'postbox-mcp@^1.0.0', 18],
      ['zod-to-json-schema', '3.23.5', 'zod-to-json-schema@^3.23.5', 27],
      ['zod', '3.23.8', 'zod@^3.23.8', 32],
      ['zod', '3.22.4', 'zod@~3.22.4', 37],
    ],
    after: [
      ['@modelcontextprotocol/sdk', '1.0.4', '@modelcontextprotocol/sdk@^1.0.4', 5],
      ['nodemailer', '6.9.14', 'nodemailer@^6.9.14', 13],
      ['postbox-mcp', '1.0.1', 'postbox-mcp@^1.0.0', 18],
      ['zod-to-json-schema', '3.23.5', 'zod-to-json-schema@^3.23.5', 27],
      // The root's new range joined the entry: a new location for the same instance.
      ['zod', '3.24.1', 'zod@^3.23.8, zod@^3.24.1', 32],
      ['zod', '3.22.4', 'zod@~3.22.4', 37],
    ],
  },
  {
    dir: 'yarn-berry',
    name: 'yarn.lock',
    ext: 'lock',
    format: 'yarn-berry',
    source: 'yarn-berry',
    shows: quoted,
    // The root workspace entry is not listed.
    before: [
      ['@modelcontextprotocol/sdk', '1.0.4', '@modelcontextprotocol/sdk@npm:^1.0.4', 8],
      ['dotenv', '16.4.5', 'dotenv@npm:^16.4.5', 18],
      ['postbox-mcp', '1.0.0', 'postbox-mcp@npm:^1.0.0', 34],
      ['zod-to-json-schema', '3.23.5', 'zod-to-json-schema@npm:^3.23.5', 47],
      ['zod', '3.23.8', 'zod@npm:^3.23.8', 56],
      ['zod', '3.22.4', 'zod@npm:~3.22.4', 63],
    ],
    after: [
      ['@modelcontextprotocol/sdk', '1.0.4', '@modelcontextprotocol/sdk@npm:^1.0.4', 8],
      ['nodemailer', '6.9.14', 'nodemailer@npm:^6.9.14', 27],
      ['postbox-mcp', '1.0.1', 'postbox-mcp@npm:^1.0.0', 34],
      ['zod-to-json-schema', '3.23.5', 'zod-to-json-schema@npm:^3.23.5', 47],
      ['zod', '3.24.1', 'zod@npm:^3.23.8, zod@npm:^3.24.1', 56],
      ['zod', '3.22.4', 'zod@npm:~3.22.4', 63],
    ],
  },
  {
    dir: 'pnpm-v6',
    name: 'pnpm-lock.yaml',
    ext: 'yaml',
    format: 'pnpm-v6',
    source: 'pnpm',
    shows: (location) => `  ${location}:`,
    before: [
      ['@modelcontextprotocol/sdk', '1.0.4', '/@modelcontextprotocol/sdk@1.0.4', 17],
      ['dotenv', '16.4.5', '/dotenv@16.4.5', 24],
      ['postbox-mcp', '1.0.0', '/postbox-mcp@1.0.0', 29],
      ['zod-to-json-schema', '3.23.5', '/zod-to-json-schema@3.23.5(zod@3.23.8)', 38],
      ['zod', '3.22.4', '/zod@3.22.4', 46],
      ['zod', '3.23.8', '/zod@3.23.8', 50],
    ],
    after: [
      ['@modelcontextprotocol/sdk', '1.0.4', '/@modelcontextprotocol/sdk@1.0.4', 17],
      ['nodemailer', '6.9.14', '/nodemailer@6.9.14', 24],
      ['postbox-mcp', '1.0.1', '/postbox-mcp@1.0.1', 29],
      ['zod-to-json-schema', '3.23.5', '/zod-to-json-schema@3.23.5(zod@3.24.1)', 38],
      ['zod', '3.22.4', '/zod@3.22.4', 46],
      ['zod', '3.24.1', '/zod@3.24.1', 50],
    ],
  },
  {
    dir: 'pnpm-v9',
    name: 'pnpm-lock.yaml',
    ext: 'yaml',
    format: 'pnpm-v9',
    source: 'pnpm',
    // The location is the snapshot key; the line is the `packages` entry.
    shows: (location) => location.replace(/\(.*$/, '') + (location.startsWith('@') ? "':" : ':'),
    before: [
      ['@modelcontextprotocol/sdk', '1.0.4', '@modelcontextprotocol/sdk@1.0.4', 20],
      ['dotenv', '16.4.5', 'dotenv@16.4.5', 23],
      ['postbox-mcp', '1.0.0', 'postbox-mcp@1.0.0', 27],
      ['zod-to-json-schema', '3.23.5', 'zod-to-json-schema@3.23.5(zod@3.23.8)', 31],
      ['zod', '3.22.4', 'zod@3.22.4', 36],
      ['zod', '3.23.8', 'zod@3.23.8', 39],
    ],
    after: [
      ['@modelcontextprotocol/sdk', '1.0.4', '@modelcontextprotocol/sdk@1.0.4', 20],
      ['nodemailer', '6.9.14', 'nodemailer@6.9.14', 23],
      ['postbox-mcp', '1.0.1', 'postbox-mcp@1.0.1', 27],
      ['zod-to-json-schema', '3.23.5', 'zod-to-json-schema@3.23.5(zod@3.24.1)', 31],
      ['zod', '3.22.4', 'zod@3.22.4', 36],
      ['zod', '3.24.1', 'zod@3.24.1', 39],
    ],
  },
  {
    dir: 'bun',
    name: 'bun.lock',
    ext: 'lock',
    format: 'bun',
    source: 'bun',
    shows: (location) => `"${location}": [`,
    before: [
      ['@modelcontextprotocol/sdk', '1.0.4', '@modelcontextprotocol/sdk', 13],
      ['dotenv', '16.4.5', 'dotenv', 15],
      ['postbox-mcp', '1.0.0', 'postbox-mcp', 17],
      ['zod', '3.22.4', 'postbox-mcp/zod', 23],
      ['zod', '3.23.8', 'zod', 19],
      ['zod-to-json-schema', '3.23.5', 'zod-to-json-schema', 21],
    ],
    after: [
      ['@modelcontextprotocol/sdk', '1.0.4', '@modelcontextprotocol/sdk', 13],
      ['nodemailer', '6.9.14', 'nodemailer', 15],
      ['postbox-mcp', '1.0.1', 'postbox-mcp', 17],
      ['zod', '3.22.4', 'postbox-mcp/zod', 23],
      ['zod', '3.24.1', 'zod', 19],
      ['zod-to-json-schema', '3.23.5', 'zod-to-json-schema', 21],
    ],
  },
]

function read(c: FormatCase, side: 'before' | 'after'): { text: string; lockfile: Lockfile } {
  const text = fixture(c.dir, `${side}.${c.ext}`)
  return { text, lockfile: parseLockfile(`apps/host/${c.name}`, text) }
}

describe.each(CASES)('$dir', (c) => {
  test.each(['before', 'after'] as const)('reads every installed instance (%s)', (side) => {
    const { text, lockfile } = read(c, side)
    expect(lockfile.format).toBe(c.format)
    expect(lockfile.path).toBe(`apps/host/${c.name}`)
    const fields = (p: InstalledPackage): Partial<InstalledPackage> => ({
      name: p.name,
      version: p.version,
      location: p.location,
      line: p.line,
      resolved: p.resolved,
      integrity: p.integrity,
      ...(p.checksum === undefined ? {} : { checksum: p.checksum }),
    })
    expect(lockfile.packages.map(fields)).toEqual(
      c[side].map(([name, version, location, line]) => ({
        name,
        version,
        location,
        line,
        ...recorded(c.source, name, version),
      })),
    )
    const lines = text.split('\n')
    for (const p of lockfile.packages)
      expect(lines[(p.line ?? 0) - 1]).toContain(c.shows(p.location))
  })

  test('records dependencies, and dependents by inverting them', () => {
    const { lockfile } = read(c, 'after')
    const one = (name: string): InstalledPackage | undefined =>
      lockfile.packages.find((p) => p.name === name)
    expect(one('postbox-mcp')?.dependencies).toEqual([
      '@modelcontextprotocol/sdk',
      'nodemailer',
      'zod',
    ])
    expect(one('nodemailer')?.dependents).toEqual(['postbox-mcp'])
    expect(one('@modelcontextprotocol/sdk')?.dependencies).toEqual(['zod', 'zod-to-json-schema'])
  })

  test('diffs to exactly the update, the addition, the removal and the one zod that moved', () => {
    const before = read(c, 'before').lockfile
    const after = read(c, 'after').lockfile
    const at = (rows: Row[], name: string, version: string): string => {
      const row = rows.find(([n, v]) => n === name && v === version)
      return `${version} ${row?.[2]}`
    }
    const changes = diffLockfiles(before, after)
    expect(changes.map((ch) => ch.source)).toEqual(changes.map(() => `apps/host/${c.name}`))
    expect(
      changes.map((ch) => [
        ch.kind,
        ch.name,
        ch.before && `${ch.before.version} ${ch.before.location}`,
        ch.after && `${ch.after.version} ${ch.after.location}`,
      ]),
    ).toEqual([
      ['removed', 'dotenv', at(c.before, 'dotenv', '16.4.5'), null],
      ['added', 'nodemailer', null, at(c.after, 'nodemailer', '6.9.14')],
      [
        'updated',
        'postbox-mcp',
        at(c.before, 'postbox-mcp', '1.0.0'),
        at(c.after, 'postbox-mcp', '1.0.1'),
      ],
      ['updated', 'zod', at(c.before, 'zod', '3.23.8'), at(c.after, 'zod', '3.24.1')],
    ])
  })
})

/** Runs `fn`, which must throw a ReviewError; returns it. */
function reviewError(fn: () => unknown): ReviewError {
  try {
    fn()
  } catch (err) {
    if (isReviewError(err)) return err
    throw err
  }
  throw new Error('expected a ReviewError')
}

/** Cuts a text just after the first occurrence of `marker`. */
function cutAfter(text: string, marker: string): string {
  const at = text.indexOf(marker)
  if (at < 0) throw new Error(`fixture has no ${marker}`)
  return text.slice(0, at + marker.length)
}

const lineCount = (text: string): number => text.split('\n').length

describe('a file we cannot read is ELOCKPARSE with its name and line', () => {
  const npm = fixture('npm-v3', 'before.json')
  const yarn = fixture('yarn-classic', 'before.lock')
  const berry = fixture('yarn-berry', 'before.lock')
  const pnpm = fixture('pnpm-v9', 'before.yaml')
  const bun = fixture('bun', 'before.lock')
  const truncatedNpm = cutAfter(npm, '"node_modules/zod": {\n      "version": "3.23')
  const truncatedBun = cutAfter(bun, '"postbox-mcp": ["postbox-mcp@1.0.0", "", { "depend')

  test.each<[string, LockfileName, string, number]>([
    ['truncated JSON', 'package-lock.json', truncatedNpm, lineCount(truncatedNpm)],
    ['a trailing comma npm would refuse', 'package-lock.json', '{\n  "a": 1,\n}', 3],
    [
      'a version that is not a string',
      'npm-shrinkwrap.json',
      '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": { "version": 1 }\n  }\n}',
      4,
    ],
    ['no lockfileVersion', 'package-lock.json', '{\n  "name": "x"\n}', 1],
    ['a string cut short', 'yarn.lock', cutAfter(yarn, 'postbox-mcp@^1.0.0:\n  version "1.0'), 19],
    [
      'a value where Yarn wants none',
      'yarn.lock',
      yarn.replace('version "16.4.5"', 'version: "16.4.5"'),
      14,
    ],
    ['an entry without version', 'yarn.lock', 'a@^1:\n  resolved "https://r.example/a.tgz"\n', 1],
    ['broken YAML', 'yarn.lock', berry.replace('  version: 16.4.5\n', '\tversion: 16.4.5\n'), 19],
    [
      'an entry without resolution',
      'yarn.lock',
      berry.replace('  resolution: "dotenv@npm:16.4.5"\n', ''),
      18,
    ],
    [
      'a flow map cut short',
      'pnpm-lock.yaml',
      cutAfter(pnpm, 'dotenv@16.4.5:\n    resolution: {integrity: sha512-Foz'),
      24,
    ],
    [
      'a resolution that is not a map',
      'pnpm-lock.yaml',
      pnpm.replace(/resolution: \{integrity: [^}]+\}/, 'resolution: 42'),
      20,
    ],
    ['truncated JSONC', 'bun.lock', truncatedBun, lineCount(truncatedBun)],
    [
      'an entry that is not a list',
      'bun.lock',
      bun.replace(/^ {4}"dotenv": .*$/m, '    "dotenv": { "version": "16.4.5" },'),
      15,
    ],
  ])('%s in %s', (_label, name, text, line) => {
    const err = reviewError(() => parseLockfile(`sub/${name}`, text))
    expect(err.code).toBe('ELOCKPARSE')
    expect(err.message).toMatch(new RegExp(`^sub/${name.replace('.', '\\.')}:${line}: `))
    expect(err.message).toMatch(/Regenerate it with `(npm|yarn|pnpm|bun) install`\.$/)
  })

  test('an unsupported version says which ones are supported', () => {
    expect(
      reviewError(() => parseLockfile('package-lock.json', '{"lockfileVersion": 4}')).message,
    ).toContain('supported: 1 (npm 5 and 6), 2 and 3')
    expect(
      reviewError(() => parseLockfile('pnpm-lock.yaml', "lockfileVersion: '5.4'\n")).message,
    ).toContain('supported: 6.x (pnpm 8) and 9.x')
    expect(
      reviewError(() => parseLockfile('bun.lock', '{"lockfileVersion": 2}')).message,
    ).toContain('supported: 0 and 1')
  })

  test('an empty file', () => {
    for (const name of LOCKFILE_NAMES) {
      expect(reviewError(() => parseLockfile(name, '')).code).toBe('ELOCKPARSE')
    }
  })
})

describe('hostile input', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  test('__proto__ and constructor keys stay keys (npm)', () => {
    const text = `{
      "__proto__": { "polluted": "root" },
      "lockfileVersion": 3,
      "packages": {
        "__proto__": { "polluted": "packages" },
        "node_modules/a": {
          "version": "1.0.0",
          "__proto__": { "polluted": "entry", "resolved": "https://evil.example/a.tgz" },
          "dependencies": { "constructor": "1.0.0", "toString": "1.0.0" }
        }
      }
    }`
    const [a] = parseLockfile('package-lock.json', text).packages
    expect(a).toMatchObject({
      name: 'a',
      resolved: null,
      dependencies: ['constructor', 'toString'],
    })
  })

  test('__proto__ as a package is refused as an invalid name', () => {
    const cases: Array<[LockfileName, string]> = [
      [
        'package-lock.json',
        '{"lockfileVersion":3,"packages":{"node_modules/__proto__":{"version":"1.0.0"}}}',
      ],
      [
        'package-lock.json',
        '{"lockfileVersion":1,"dependencies":{"__proto__":{"version":"1.0.0"}}}',
      ],
      ['yarn.lock', '"__proto__@^1.0.0":\n  version "1.0.0"\n'],
      [
        'yarn.lock',
        '__metadata:\n  version: 8\n"__proto__@npm:^1":\n  version: 1.0.0\n  resolution: "__proto__@npm:1.0.0"\n',
      ],
      [
        'pnpm-lock.yaml',
        "lockfileVersion: '9.0'\npackages:\n  __proto__@1.0.0:\n    resolution: {integrity: sha512-x}\n",
      ],
      [
        'bun.lock',
        '{"lockfileVersion":1,"packages":{"__proto__":["__proto__@1.0.0","",{},"sha512-x"]}}',
      ],
    ]
    for (const [name, text] of cases) {
      expect(reviewError(() => parseLockfile(name, text)).message).toContain(
        'invalid package name "__proto__"',
      )
    }
  })

  test('__proto__ inside YAML maps stays a key (pnpm, Yarn Berry)', () => {
    const pnpm = parseLockfile(
      'pnpm-lock.yaml',
      "lockfileVersion: '9.0'\n__proto__: {polluted: top}\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x, __proto__: {polluted: res}}\nsnapshots:\n  a@1.0.0:\n    dependencies:\n      __proto__: 1.0.0\n      constructor: 1.0.0\n",
    )
    expect(pnpm.packages).toMatchObject([
      { name: 'a', integrity: 'sha512-x', dependencies: ['constructor'] },
    ])
    const berry = parseLockfile(
      'yarn.lock',
      '__metadata:\n  version: 8\n  __proto__: {polluted: meta}\n"a@npm:^1":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  __proto__:\n    polluted: entry\n',
    )
    expect(berry.packages).toMatchObject([{ name: 'a', version: '1.0.0' }])
  })

  test('a YAML alias bomb stops at the alias bound, quickly', () => {
    const laughs = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((x, i) => {
        const prev = 'abcdefghi'[i]
        return `${x}: &${x} [${Array(9).fill(`*${prev}`).join(',')}]`
      }),
    ].join('\n')
    for (const [name, head] of [
      ['pnpm-lock.yaml', "lockfileVersion: '9.0'\n"],
      ['yarn.lock', '__metadata:\n  version: 8\n'],
    ] as const) {
      const err = reviewError(() => parseLockfile(name, head + laughs + '\n'))
      expect(err.code).toBe('ELOCKPARSE')
      expect(err.message).toContain('alias')
    }
  })

  test('duplicate keys are refused in JSON and YAML, with the line of the second', () => {
    const cases: Array<[LockfileName, string, number]> = [
      [
        'package-lock.json',
        '{\n"lockfileVersion": 3,\n"packages": {\n"node_modules/a": {"version": "1.0.0"},\n"node_modules/a": {"version": "6.6.6"}\n}\n}',
        5,
      ],
      [
        'bun.lock',
        '{\n"lockfileVersion": 1,\n"packages": {\n"a": ["a@1.0.0", "", {}, ""],\n"a": ["a@6.6.6", "", {}, ""],\n}\n}',
        5,
      ],
      [
        'pnpm-lock.yaml',
        "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\n    resolution: {integrity: sha512-y}\n",
        5,
      ],
      [
        'yarn.lock',
        '__metadata:\n  version: 8\n"a@npm:^1":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n"a@npm:^1":\n  version: 6.6.6\n  resolution: "a@npm:6.6.6"\n',
        6,
      ],
      ['yarn.lock', 'a@^1:\n  version "1.0.0"\n\na@^1, a@^1.1:\n  version "6.6.6"\n', 4],
    ]
    for (const [name, text, line] of cases) {
      const err = reviewError(() => parseLockfile(name, text))
      expect(err.code).toBe('ELOCKPARSE')
      expect(err.message).toMatch(
        new RegExp(`^${name.replace('.', '\\.')}:${line}: .*(duplicate|unique|twice)`, 'i'),
      )
    }
  })

  test('a field repeated inside a yarn.lock entry is last-wins, as in Yarn', () => {
    const [a] = parseLockfile(
      'yarn.lock',
      'a@^1:\n  version "1.0.0"\n  integrity sha512-one\n  integrity sha512-two\n',
    ).packages
    expect(a?.integrity).toBe('sha512-two')
  })

  test('oversize text and too many entries are ETOOLARGE naming the file', () => {
    const huge = reviewError(() =>
      parseLockfile('a/package-lock.json', ' '.repeat(LIMITS.maxTextLength + 1)),
    )
    expect(huge.code).toBe('ETOOLARGE')
    expect(huge.message).toMatch(/^a\/package-lock\.json: /)
    const entries = Array.from(
      { length: LIMITS.maxEntries + 1 },
      (_, i) => `"p${i}":["p${i}@1.0.0","",{},""]`,
    )
    const many = reviewError(() =>
      parseLockfile('bun.lock', `{"lockfileVersion":1,"packages":{${entries.join(',')}}}`),
    )
    expect(many.code).toBe('ETOOLARGE')
    expect(many.message).toMatch(/^bun\.lock: 200001 package entries/)
  })

  test('too many JSON or YAML values is ETOOLARGE before a syntax tree is built', () => {
    const json = '[' + '1,'.repeat(LIMITS.maxJsonValues) + '1]'
    expect(reviewError(() => parseLockfile('package-lock.json', json)).message).toMatch(
      /^package-lock\.json: more than 10000000 JSON values/,
    )
    const pairs = Array.from({ length: LIMITS.maxYamlValues / 2 + 1 }, (_, i) => `k${i}: v`)
    const yaml = "lockfileVersion: '9.0'\nsettings: {" + pairs.join(', ') + '}\n'
    expect(reviewError(() => parseLockfile('pnpm-lock.yaml', yaml)).message).toMatch(
      /^pnpm-lock\.yaml: more than 2000000 YAML values/,
    )
  })

  // Its time, at n and 2n: npm run bench:hostile.
  test('a yarn.lock line of a million tokens is refused', () => {
    const text = 'a@^1:\n  version ' + '1 '.repeat(1_000_000) + '\n'
    expect(reviewError(() => parseLockfile('yarn.lock', text)).code).toBe('ELOCKPARSE')
  })

  test('deep nesting is refused before any recursive parser runs', () => {
    const deepJson = '['.repeat(100_000)
    const deepYaml = "lockfileVersion: '9.0'\npackages: " + '['.repeat(100_000)
    const deepYarn =
      'a@^1:\n' + Array.from({ length: 40 }, (_, i) => '  '.repeat(i + 1) + 'x:').join('\n')
    for (const [name, text] of [
      ['package-lock.json', deepJson],
      ['bun.lock', deepJson],
      ['pnpm-lock.yaml', deepYaml],
      ['yarn.lock', deepYarn],
    ] as const) {
      expect(reviewError(() => parseLockfile(name, text)).code).toBe('ELOCKPARSE')
    }
  })

  test('yarn.lock input that would hang Yarn’s tokenizer fails fast', () => {
    for (const text of ['a@^1:\n  version "1.0.0', 'a@^1:\n  version "1.0.0\\"\n', '"a@^1']) {
      expect(reviewError(() => parseLockfile('yarn.lock', text)).message).toContain('closing quote')
    }
    // A comment at the very end, without a newline, is fine.
    expect(parseLockfile('yarn.lock', '# yarn lockfile v1').packages).toEqual([])
  })

  test('yarn.lock: what Yarn’s parser would silently drop is an error', () => {
    const text = 'a@^1:\n  version "1.0.0"\n\n    stray "x"\nb@^1:\n  version "2.0.0"\n'
    expect(reviewError(() => parseLockfile('yarn.lock', text)).message).toMatch(
      /^yarn\.lock:5: Yarn's parser stopped before entry "b@\^1"/,
    )
  })

  test('yarn.lock: merge conflict markers are an error', () => {
    const text =
      'a@^1:\n<<<<<<< HEAD\n  version "1.0.0"\n=======\n  version "6.6.6"\n>>>>>>> evil\n'
    expect(reviewError(() => parseLockfile('yarn.lock', text)).message).toMatch(
      /^yarn\.lock:2: unresolved merge conflict markers/,
    )
  })

  test('Yarn line numbers are mapped back past blank lines', () => {
    const text = '# header\n\n\na@^1:\n  version "1.0.0"\n\n\n\nb@^1:\n  version 1.0.0\n'
    expect(reviewError(() => parseLockfile('yarn.lock', text)).message).toMatch(/^yarn\.lock:10: /)
  })
})

describe('random and mangled text: a Lockfile or a ReviewError, nothing else', () => {
  const fixturesFor: Record<LockfileName, string[]> = {
    'package-lock.json': ['npm-v1', 'npm-v2', 'npm-v3'].map((d) => fixture(d, 'before.json')),
    'npm-shrinkwrap.json': [fixture('npm-shrinkwrap', 'after.json')],
    'yarn.lock': [fixture('yarn-classic', 'after.lock'), fixture('yarn-berry', 'after.lock')],
    'pnpm-lock.yaml': [fixture('pnpm-v6', 'after.yaml'), fixture('pnpm-v9', 'after.yaml')],
    'bun.lock': [fixture('bun', 'after.lock')],
  }

  test.each([...LOCKFILE_NAMES])('%s', (name) => {
    const mangled = fc
      .tuple(fc.constantFrom(...fixturesFor[name]), fc.nat(), fc.nat({ max: 40 }), fc.string())
      .map(([text, at, cut, insert]) => {
        const i = at % (text.length + 1)
        return text.slice(0, i) + insert + text.slice(Math.min(text.length, i + cut))
      })
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.json(),
      mangled,
      mangled.map((t) => t.slice(0, t.length >> 1)),
    )
    fc.assert(
      fc.property(text, (t) => {
        try {
          const lockfile = parseLockfile(`x/${name}`, t)
          expect(Array.isArray(lockfile.packages)).toBe(true)
        } catch (err) {
          if (!isReviewError(err)) throw err
        }
      }),
      { seed: 20240611, numRuns: 200 },
    )
  })
})
