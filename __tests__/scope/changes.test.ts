// diffLockfiles pairs old and new instances of each package: same location
// first, then the same content moved, then the closest version; the rest are
// added or removed.
import { diffLockfiles } from '../../src/scope/changes.js'
import type { InstalledPackage, Lockfile, PackageChange } from '../../src/scope/types.js'

function pkg(
  name: string,
  version: string,
  location: string,
  extra: Partial<InstalledPackage> = {},
): InstalledPackage {
  return {
    name,
    version,
    resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
    integrity: `sha512-${name}-${version}`,
    location,
    line: 1,
    dependents: [],
    dependencies: [],
    ...extra,
  }
}

function lock(...packages: InstalledPackage[]): Lockfile {
  return { path: 'apps/web/package-lock.json', format: 'npm-v3', packages }
}

/** kind, name, "version@location" before and after. */
function summary(changes: PackageChange[]): Array<[string, string, string | null, string | null]> {
  const at = (p: InstalledPackage | null): string | null => p && `${p.version}@${p.location}`
  return changes.map((c) => [c.kind, c.name, at(c.before), at(c.after)])
}

test('identical lockfiles have no changes', () => {
  const a = lock(pkg('zod', '3.23.8', 'node_modules/zod'))
  expect(diffLockfiles(a, lock(pkg('zod', '3.23.8', 'node_modules/zod')))).toEqual([])
})

test('a new version at the same location is updated', () => {
  const changes = diffLockfiles(
    lock(pkg('postbox-mcp', '1.0.0', 'node_modules/postbox-mcp')),
    lock(pkg('postbox-mcp', '1.0.1', 'node_modules/postbox-mcp')),
  )
  expect(summary(changes)).toEqual([
    ['updated', 'postbox-mcp', '1.0.0@node_modules/postbox-mcp', '1.0.1@node_modules/postbox-mcp'],
  ])
  expect(changes[0]?.source).toBe('apps/web/package-lock.json')
})

test.each<[string, Partial<InstalledPackage>]>([
  ['integrity (a re-published tarball)', { integrity: 'sha512-republished' }],
  ['resolved (another tarball URL)', { resolved: 'https://evil.example/postbox-mcp-1.0.0.tgz' }],
  ['checksum (Yarn Berry)', { checksum: '10c0/other' }],
])('the same version with another %s is updated', (_label, extra) => {
  const before = pkg('postbox-mcp', '1.0.0', 'node_modules/postbox-mcp', { checksum: '10c0/one' })
  const after = { ...before, ...extra }
  expect(summary(diffLockfiles(lock(before), lock(after)))).toEqual([
    ['updated', 'postbox-mcp', '1.0.0@node_modules/postbox-mcp', '1.0.0@node_modules/postbox-mcp'],
  ])
})

test('only the instance that changed is reported when a package is installed twice', () => {
  const before = lock(
    pkg('zod', '3.22.4', 'node_modules/postbox-mcp/node_modules/zod'),
    pkg('zod', '3.23.8', 'node_modules/zod'),
  )
  const after = lock(
    pkg('zod', '3.22.4', 'node_modules/postbox-mcp/node_modules/zod'),
    pkg('zod', '3.24.1', 'node_modules/zod'),
  )
  expect(summary(diffLockfiles(before, after))).toEqual([
    ['updated', 'zod', '3.23.8@node_modules/zod', '3.24.1@node_modules/zod'],
  ])
})

test('the same content at another location has moved, not changed', () => {
  // npm hoisted the nested copy; a yarn key gained a range.
  const before = lock(
    pkg('ms', '2.1.3', 'node_modules/debug/node_modules/ms'),
    pkg('zod', '3.24.1', 'zod@^3.23.8'),
  )
  const after = lock(
    pkg('ms', '2.1.3', 'node_modules/ms'),
    pkg('zod', '3.24.1', 'zod@^3.23.8, zod@^3.24.1'),
  )
  expect(diffLockfiles(before, after)).toEqual([])
})

test('instances at new locations pair by closest version', () => {
  // pnpm keys hold the version, so every update moves the location.
  const before = lock(pkg('zod', '3.22.4', 'zod@3.22.4'), pkg('zod', '3.23.8', 'zod@3.23.8'))
  const after = lock(pkg('zod', '3.24.1', 'zod@3.24.1'), pkg('zod', '3.22.5', 'zod@3.22.5'))
  expect(summary(diffLockfiles(before, after))).toEqual([
    ['updated', 'zod', '3.22.4@zod@3.22.4', '3.22.5@zod@3.22.5'],
    ['updated', 'zod', '3.23.8@zod@3.23.8', '3.24.1@zod@3.24.1'],
  ])
})

test('pairing prefers the same major over a nearer number', () => {
  const before = lock(pkg('a', '1.9.0', 'a@1.9.0'), pkg('a', '2.0.0', 'a@2.0.0'))
  const after = lock(pkg('a', '1.10.0', 'a@1.10.0'))
  expect(summary(diffLockfiles(before, after))).toEqual([
    ['updated', 'a', '1.9.0@a@1.9.0', '1.10.0@a@1.10.0'],
    ['removed', 'a', '2.0.0@a@2.0.0', null],
  ])
  const grown = lock(pkg('a', '2.0.0', 'a@2.0.0'), pkg('a', '1.5.0', 'a@1.5.0'))
  expect(summary(diffLockfiles(lock(pkg('a', '1.0.0', 'a@1.0.0')), grown))).toEqual([
    ['updated', 'a', '1.0.0@a@1.0.0', '1.5.0@a@1.5.0'],
    ['added', 'a', null, '2.0.0@a@2.0.0'],
  ])
})

test('versions that are not semver still pair, after every semver pair', () => {
  const before = lock(pkg('x', 'github:acme/x#111', 'node_modules/x'))
  const after = lock(pkg('x', 'github:acme/x#222', 'node_modules/y/node_modules/x'))
  expect(summary(diffLockfiles(before, after))).toEqual([
    [
      'updated',
      'x',
      'github:acme/x#111@node_modules/x',
      'github:acme/x#222@node_modules/y/node_modules/x',
    ],
  ])
})

test('names on one side only are added or removed', () => {
  const before = lock(pkg('dotenv', '16.4.5', 'node_modules/dotenv'))
  const after = lock(pkg('nodemailer', '6.9.14', 'node_modules/nodemailer'))
  expect(summary(diffLockfiles(before, after))).toEqual([
    ['removed', 'dotenv', '16.4.5@node_modules/dotenv', null],
    ['added', 'nodemailer', null, '6.9.14@node_modules/nodemailer'],
  ])
})

test('a lockfile absent on one side: everything added, or everything removed', () => {
  const file = lock(pkg('b', '1.0.0', 'node_modules/b'), pkg('a', '1.0.0', 'node_modules/a'))
  expect(summary(diffLockfiles(null, file))).toEqual([
    ['added', 'a', null, '1.0.0@node_modules/a'],
    ['added', 'b', null, '1.0.0@node_modules/b'],
  ])
  const removed = diffLockfiles(file, null)
  expect(summary(removed)).toEqual([
    ['removed', 'a', '1.0.0@node_modules/a', null],
    ['removed', 'b', '1.0.0@node_modules/b', null],
  ])
  expect(removed.map((c) => c.source)).toEqual([
    'apps/web/package-lock.json',
    'apps/web/package-lock.json',
  ])
  expect(diffLockfiles(null, null)).toEqual([])
})

test('changes come out by name, then location', () => {
  const before = lock(
    pkg('zod', '1.0.0', 'node_modules/z/node_modules/zod'),
    pkg('zod', '1.0.0', 'node_modules/zod'),
    pkg('ajv', '1.0.0', 'node_modules/ajv'),
  )
  const after = lock(
    pkg('zod', '1.0.1', 'node_modules/zod'),
    pkg('ajv', '1.0.1', 'node_modules/ajv'),
    pkg('zod', '1.0.1', 'node_modules/z/node_modules/zod'),
  )
  expect(summary(diffLockfiles(before, after)).map(([, name, , at]) => `${name} ${at}`)).toEqual([
    'ajv 1.0.1@node_modules/ajv',
    'zod 1.0.1@node_modules/z/node_modules/zod',
    'zod 1.0.1@node_modules/zod',
  ])
})

test('hundreds of copies of one name pair in version order, without quadratic work', () => {
  const copies = (version: (i: number) => string): InstalledPackage[] =>
    Array.from({ length: 600 }, (_, i) => pkg('x', version(i), `x@${version(i)}`))
  const changes = diffLockfiles(
    lock(...copies((i) => `1.0.${i}`)),
    lock(...copies((i) => `1.1.${i}`)),
  )
  expect(changes).toHaveLength(600)
  expect(changes.every((c) => c.kind === 'updated')).toBe(true)
  expect(summary(changes).find(([, , from]) => from === '1.0.7@x@1.0.7')?.[3]).toBe('1.1.7@x@1.1.7')
})
