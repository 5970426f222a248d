// What each format records beyond the shared fixtures: aliases, links and
// workspaces, bundled and nested copies, non-registry sources, pnpm's peer
// suffixes and two-document files, and the names we refuse.
import { isReviewError, type ReviewError } from '../../src/errors.js'
import { isLockfilePath, parseLockfile } from '../../src/scope/lockfiles/index.js'
import type { InstalledPackage } from '../../src/scope/types.js'

function reviewError(fn: () => unknown): ReviewError {
  try {
    fn()
  } catch (err) {
    if (isReviewError(err)) return err
    throw err
  }
  throw new Error('expected a ReviewError')
}

/** The fields that say what is installed where. */
const brief = (p: InstalledPackage): [string, string, string, string | null] => [
  p.name,
  p.version,
  p.location,
  p.resolved,
]

const lines = (...l: string[]): string => l.join('\n') + '\n'

test.each([
  ['package-lock.json', true],
  ['apps/web/pnpm-lock.yaml', true],
  ['packages/a/yarn.lock', true],
  ['npm-shrinkwrap.json', true],
  ['bun.lock', true],
  ['bun.lockb', false],
  ['package.json', false],
  ['my-yarn.lock', false],
  ['yarn.lock/notes.md', false],
])('isLockfilePath(%s) is %s', (path, expected) => {
  expect(isLockfilePath(path)).toBe(expected)
})

test('a file that is not a lockfile is ELOCKPARSE', () => {
  expect(reviewError(() => parseLockfile('package.json', '{}')).code).toBe('ELOCKPARSE')
})

describe('npm', () => {
  test('v3: aliases by their real name, links and workspaces left out, installs under a workspace kept', () => {
    const lockfile = parseLockfile(
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'root', workspaces: ['packages/*'] },
          'node_modules/string-width-cjs': {
            name: 'string-width',
            version: '4.2.3',
            resolved: 'https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz',
          },
          'node_modules/@my/tools': { resolved: 'packages/tools', link: true },
          'packages/tools': { name: '@my/tools', version: '0.1.0', dependencies: { zod: '^3' } },
          'packages/tools/node_modules/zod': { version: '3.22.4' },
          'node_modules/parent': { version: '1.0.0', bundleDependencies: ['child'] },
          'node_modules/parent/node_modules/child': { version: '2.0.0', inBundle: true },
        },
      }),
    )
    expect(lockfile.packages.map(brief)).toEqual([
      ['parent', '1.0.0', 'node_modules/parent', null],
      ['child', '2.0.0', 'node_modules/parent/node_modules/child', null],
      [
        'string-width',
        '4.2.3',
        'node_modules/string-width-cjs',
        'https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz',
      ],
      ['zod', '3.22.4', 'packages/tools/node_modules/zod', null],
    ])
    expect(lockfile.packages.find((p) => p.name === 'child')?.bundled).toBe(true)
  })

  test('v1: an alias version names the real package; a linked folder is left out, its installs kept', () => {
    const lockfile = parseLockfile(
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          'sw-cjs': { version: 'npm:string-width@4.2.3', integrity: 'sha512-a' },
          local: {
            version: 'file:packages/local',
            dependencies: {
              '@scope/deep': { version: '1.0.0', requires: { 'sw-cjs': 'npm:string-width@^4' } },
            },
          },
        },
      }),
    )
    expect(lockfile.packages.map(brief)).toEqual([
      ['@scope/deep', '1.0.0', 'node_modules/local/node_modules/@scope/deep', null],
      ['string-width', '4.2.3', 'node_modules/sw-cjs', null],
    ])
    expect(lockfile.packages[0]?.dependencies).toEqual(['string-width'])
  })

  test.each([
    ['node_modules/a/../../etc', 'malformed package path'],
    ['node_modules/..', 'invalid package name ".."'],
    ['node_modules/@scope', 'invalid package name "@scope"'],
  ])('a package path that is not a node_modules path is refused: %s', (path, message) => {
    const text = JSON.stringify({ lockfileVersion: 3, packages: { [path]: { version: '1.0.0' } } })
    expect(reviewError(() => parseLockfile('package-lock.json', text)).message).toContain(message)
  })
})

describe('yarn classic', () => {
  test('an entry shared by an alias and ranges is one instance of the real package', () => {
    const text = lines(
      '# yarn lockfile v1',
      '',
      '"string-width-cjs@npm:string-width@^4.2.0", "string-width@^1.0.2 || 2 || 3 || 4", string-width@^4.1.0:',
      '  version "4.2.3"',
      '  resolved "https://registry.yarnpkg.com/string-width/-/string-width-4.2.3.tgz#e2"',
      '  integrity sha512-wK',
      '  dependencies:',
      '    emoji-regex "^8.0.0"',
    )
    const [one, ...rest] = parseLockfile('yarn.lock', text).packages
    expect(rest).toEqual([])
    expect(one).toMatchObject({
      name: 'string-width',
      version: '4.2.3',
      location:
        'string-width-cjs@npm:string-width@^4.2.0, string-width@^1.0.2 || 2 || 3 || 4, string-width@^4.1.0',
      line: 3,
      integrity: 'sha512-wK',
      dependencies: ['emoji-regex'],
    })
  })

  test('reads CRLF line endings', () => {
    const text = 'a@^1:\r\n  version "1.0.0"\r\n\r\nb@^2:\r\n  version "2.0.0"\r\n'
    expect(parseLockfile('yarn.lock', text).packages.map((p) => [p.name, p.line])).toEqual([
      ['a', 1],
      ['b', 4],
    ])
  })

  test('descriptors of different packages in one entry are refused', () => {
    const text = 'a@^1, b@^1:\n  version "1.0.0"\n'
    expect(reviewError(() => parseLockfile('yarn.lock', text)).message).toMatch(
      /^yarn\.lock:1: .*different packages/,
    )
  })
})

describe('yarn berry', () => {
  const head = lines('__metadata:', '  version: 8', '  cacheKey: 10c0', '')

  test('names and versions come from the resolution; local folders are left out', () => {
    const text =
      head +
      lines(
        '"sw-cjs@npm:string-width@^4.2.0":',
        '  version: 4.2.3',
        '  resolution: "string-width@npm:4.2.3"',
        '  checksum: 10c0/abc',
        '',
        '"a@npm:^1.0.0":',
        '  version: 1.0.0',
        '  resolution: "a@npm:1.0.0::__archiveUrl=https%3A%2F%2Fmirror.example%2Fa.tgz"',
        '',
        '"resolve@patch:resolve@npm%3A^1.22.8#optional!builtin<compat/resolve>":',
        '  version: 1.22.8',
        '  resolution: "resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d"',
        '',
        '"tools@link:./tools::locator=root%40workspace%3A.":',
        '  version: 0.0.0-use.local',
        '  resolution: "tools@link:./tools::locator=root%40workspace%3A."',
        '',
        '"portal@portal:../p::locator=root%40workspace%3A.":',
        '  version: 0.0.0-use.local',
        '  resolution: "portal@portal:../p::locator=root%40workspace%3A."',
        '',
        '"vendored@file:./vendor/vendored-1.0.0.tgz::locator=root%40workspace%3A.":',
        '  version: 1.0.0',
        '  resolution: "vendored@file:./vendor/vendored-1.0.0.tgz::locator=root%40workspace%3A."',
        '',
        '"folder@file:./folder::locator=root%40workspace%3A.":',
        '  version: 0.0.0-use.local',
        '  resolution: "folder@file:./folder::locator=root%40workspace%3A."',
        '',
        '"root@workspace:.":',
        '  version: 0.0.0-use.local',
        '  resolution: "root@workspace:."',
      )
    const lockfile = parseLockfile('yarn.lock', text)
    expect(lockfile.packages.map(brief)).toEqual([
      [
        'a',
        '1.0.0',
        'a@npm:^1.0.0',
        'a@npm:1.0.0::__archiveUrl=https%3A%2F%2Fmirror.example%2Fa.tgz',
      ],
      [
        'resolve',
        '1.22.8',
        'resolve@patch:resolve@npm%3A^1.22.8#optional!builtin<compat/resolve>',
        'resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d',
      ],
      ['string-width', '4.2.3', 'sw-cjs@npm:string-width@^4.2.0', 'string-width@npm:4.2.3'],
      [
        'vendored',
        '1.0.0',
        'vendored@file:./vendor/vendored-1.0.0.tgz::locator=root%40workspace%3A.',
        'vendored@file:./vendor/vendored-1.0.0.tgz::locator=root%40workspace%3A.',
      ],
    ])
    expect(lockfile.packages.map((p) => [p.integrity, p.checksum])).toEqual([
      [null, undefined],
      [null, undefined],
      [null, '10c0/abc'],
      [null, undefined],
    ])
  })

  test('a version that disagrees with the npm resolution is refused', () => {
    const text = head + lines('"a@npm:^1":', '  version: 1.0.0', '  resolution: "a@npm:6.6.6"')
    expect(reviewError(() => parseLockfile('yarn.lock', text)).message).toMatch(
      /^yarn\.lock:5: .*does not match resolution/,
    )
  })
})

describe('pnpm', () => {
  test('v6: peer suffixes stay in the location; git and tarball sources are resolved; folders left out', () => {
    const text = lines(
      "lockfileVersion: '6.0'",
      'packages:',
      '  /zod-to-json-schema@3.23.5(zod@3.23.8):',
      '    resolution: {integrity: sha512-a}',
      '    dependencies:',
      '      zod: 3.23.8',
      '  /zod@3.23.8:',
      '    resolution: {integrity: sha512-b}',
      '  github.com/acme/mailer/0123abc:',
      '    resolution: {type: git, repo: https://github.com/acme/mailer.git, commit: 0123abc}',
      '    name: mailer',
      '    version: 2.0.0',
      '  registry.example/x/-/x-1.0.0.tgz:',
      '    resolution: {tarball: https://registry.example/x/-/x-1.0.0.tgz}',
      '    name: x',
      '    version: 1.0.0',
      '  file:packages/local:',
      '    resolution: {directory: packages/local, type: directory}',
      '    name: local',
      '    version: 0.0.0',
    )
    const lockfile = parseLockfile('pnpm-lock.yaml', text)
    expect(lockfile.format).toBe('pnpm-v6')
    expect(lockfile.packages.map(brief)).toEqual([
      ['zod-to-json-schema', '3.23.5', '/zod-to-json-schema@3.23.5(zod@3.23.8)', null],
      ['zod', '3.23.8', '/zod@3.23.8', null],
      [
        'mailer',
        '2.0.0',
        'github.com/acme/mailer/0123abc',
        'git+https://github.com/acme/mailer.git#0123abc',
      ],
      [
        'x',
        '1.0.0',
        'registry.example/x/-/x-1.0.0.tgz',
        'https://registry.example/x/-/x-1.0.0.tgz',
      ],
    ])
    expect(lockfile.packages[1]?.dependents).toEqual(['zod-to-json-schema'])
  })

  test('v9: one instance per peer set, aliases named by their target, unused packages kept', () => {
    const text = lines(
      "lockfileVersion: '9.0'",
      'packages:',
      '  string-width@4.2.3:',
      '    resolution: {integrity: sha512-sw}',
      '  use@1.0.0:',
      '    resolution: {integrity: sha512-use}',
      '    peerDependencies:',
      '      react: ^18',
      '  lonely@1.0.0:',
      '    resolution: {integrity: sha512-l}',
      'snapshots:',
      '  string-width@4.2.3: {}',
      '  use@1.0.0(react@18.2.0):',
      '    dependencies:',
      '      sw-cjs: string-width@4.2.3',
      '  use@1.0.0(react@18.3.1):',
      '    dependencies:',
      '      sw-cjs: string-width@4.2.3',
    )
    const lockfile = parseLockfile('pnpm-lock.yaml', text)
    expect(lockfile.packages.map((p) => [p.name, p.version, p.location, p.line])).toEqual([
      ['lonely', '1.0.0', 'lonely@1.0.0', 9],
      ['string-width', '4.2.3', 'string-width@4.2.3', 3],
      ['use', '1.0.0', 'use@1.0.0(react@18.2.0)', 5],
      ['use', '1.0.0', 'use@1.0.0(react@18.3.1)', 5],
    ])
    expect(lockfile.packages[1]?.dependents).toEqual(['use'])
  })

  test('v9: a snapshot without its package is refused', () => {
    const text = lines("lockfileVersion: '9.0'", 'snapshots:', '  ghost@1.0.0: {}')
    expect(reviewError(() => parseLockfile('pnpm-lock.yaml', text)).message).toMatch(
      /^pnpm-lock\.yaml:3: snapshot "ghost@1\.0\.0" has no entry under "packages"/,
    )
  })

  test('a version field that disagrees with the key is refused', () => {
    const text = lines(
      "lockfileVersion: '9.0'",
      'packages:',
      '  a@1.0.1:',
      '    resolution: {integrity: sha512-a}',
      '    version: 1.0.0',
    )
    expect(reviewError(() => parseLockfile('pnpm-lock.yaml', text)).message).toMatch(
      /^pnpm-lock\.yaml:3: .*does not match the key/,
    )
  })

  test('two documents (pnpm 11+): the env document is read too, under env:', () => {
    const text = lines(
      '---',
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    configDependencies: {}',
      '    packageManagerDependencies:',
      '      pnpm:',
      '        specifier: 11.0.3',
      '        version: 11.0.3',
      'packages:',
      '  pnpm@11.0.3:',
      '    resolution: {integrity: sha512-p}',
      'snapshots:',
      '  pnpm@11.0.3: {}',
      '',
      '---',
      "lockfileVersion: '9.0'",
      'packages:',
      '  postbox-mcp@1.0.1:',
      '    resolution: {integrity: sha512-m}',
      'snapshots:',
      '  postbox-mcp@1.0.1: {}',
    )
    const lockfile = parseLockfile('pnpm-lock.yaml', text)
    expect(lockfile.packages.map((p) => [p.name, p.location, p.line])).toEqual([
      ['pnpm', 'env:pnpm@11.0.3', 11],
      ['postbox-mcp', 'postbox-mcp@1.0.1', 19],
    ])
  })
})

describe('bun', () => {
  test('every resolution form: registry, custom registry, tarball, git; local ones left out', () => {
    const text = `{
  "lockfileVersion": 1,
  "workspaces": { "": { "name": "root" } },
  "packages": {
    "a": ["a@1.0.0", "", {}, "sha512-a"],
    "b": ["b@2.0.0", "https://npm.acme.example/b/-/b-2.0.0.tgz", { "dependencies": { "sw": "npm:string-width@^4" } }, "sha512-b"],
    "c": ["c@https://files.example/c-1.0.0.tgz", {}],
    "d": ["d@github:acme/d#0123abc", {}, "acme-d-0123abc"],
    "e": ["e@workspace:packages/e"],
    "f": ["f@link:../f", {}],
    "g": ["g@file:../g", {}],
    "root": ["root@root:", {}],
    "b/a": ["a@0.9.0", "", {}, "sha512-a0"],
    "sw": ["string-width@4.2.3", "", {}, "sha512-sw"],
  }
}`
    const lockfile = parseLockfile('bun.lock', text)
    expect(lockfile.packages.map((p) => [...brief(p), p.integrity, p.line])).toEqual([
      ['a', '1.0.0', 'a', null, 'sha512-a', 5],
      ['b', '2.0.0', 'b', 'https://npm.acme.example/b/-/b-2.0.0.tgz', 'sha512-b', 6],
      ['a', '0.9.0', 'b/a', null, 'sha512-a0', 13],
      ['c', 'https://files.example/c-1.0.0.tgz', 'c', 'https://files.example/c-1.0.0.tgz', null, 7],
      ['d', 'github:acme/d#0123abc', 'd', 'github:acme/d#0123abc', null, 8],
      ['string-width', '4.2.3', 'sw', null, 'sha512-sw', 14],
    ])
    expect(lockfile.packages.find((p) => p.name === 'string-width')?.dependents).toEqual(['b'])
  })
})
