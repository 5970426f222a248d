import { findForeignResolved } from '../../src/scope/resolved.js'
import type { InstalledPackage } from '../../src/scope/types.js'

const pkg = (resolved: string | null): InstalledPackage => ({
  name: 'postbox-mcp',
  version: '1.0.1',
  resolved,
  integrity: null,
  location: 'node_modules/postbox-mcp',
  line: 7,
  dependents: [],
  dependencies: [],
})
const NPM = ['https://registry.npmjs.org/']

test.each([
  ['https://registry.npmjs.org/postbox-mcp/-/postbox-mcp-1.0.1.tgz', NPM],
  ['https://registry.yarnpkg.com/postbox-mcp/-/postbox-mcp-1.0.1.tgz', NPM],
  ['http://127.0.0.1:4873/postbox-mcp/-/postbox-mcp-1.0.1.tgz', ['http://127.0.0.1:4873/']],
  [
    'https://npm.corp.example/api/npm/npm/postbox-mcp/-/postbox-mcp-1.0.1.tgz',
    ['https://npm.corp.example/api/npm/npm/'],
  ],
  [null, NPM],
  ['postbox-mcp@npm:1.0.1', NPM],
  // HTTPS from a registry configured as plain HTTP is the same source, safer.
  ['https://127.0.0.1:4873/postbox-mcp/-/postbox-mcp-1.0.1.tgz', ['http://127.0.0.1:4873/']],
])('a package from a configured registry is fine: %s', (resolved, registries) => {
  expect(findForeignResolved(pkg(resolved), 'package-lock.json', registries)).toBeNull()
})

test.each([
  ['https://evil.example/postbox-mcp-1.0.1.tgz', 'high', 'another host (evil.example)'],
  ['https://45.61.12.9/p.tgz', 'critical', 'another host (45.61.12.9)'],
  [
    'http://169.254.169.254/latest/meta-data/',
    'critical',
    'a cloud-metadata or link-local address',
  ],
  ['file:../../evil.tgz', 'critical', 'a local file'],
  ['http://mirror.example/postbox-mcp-1.0.1.tgz', 'high', 'plain HTTP at mirror.example'],
  ['https://exa mple.com/postbox-mcp-1.0.1.tgz', 'high', 'an unparsable location'],
  ['git+ssh://git@github.com/evil/repo.git#abc', 'high', 'a git+ssh source'],
  [
    'postbox-mcp@npm:1.0.1::__archiveUrl=https%3A%2F%2Fevil.example%2Fx.tgz',
    'high',
    'another host (evil.example)',
  ],
])('%s is a finding', (resolved, severity, what) => {
  const f = findForeignResolved(pkg(resolved), 'package-lock.json', NPM)
  expect(f).toMatchObject({
    ruleId: 'threat-integrity-foreign-resolved',
    severity,
    file: 'package-lock.json',
    line: 7,
    repositoryFile: true,
    message: `postbox-mcp@1.0.1 is installed from ${what}, not from a configured registry.`,
  })
})

test.each([
  // The registry's host over plain HTTP: anyone on the path can swap the tarball.
  [
    'http://npm.corp.example/api/npm/npm/postbox-mcp/-/postbox-mcp-1.0.1.tgz',
    'plain HTTP at npm.corp.example',
  ],
  // The registry's host on another port is another server.
  ['https://npm.corp.example:8443/postbox-mcp-1.0.1.tgz', 'another host (npm.corp.example)'],
  ['http://127.0.0.1:9999/postbox-mcp-1.0.1.tgz', 'plain HTTP at 127.0.0.1'],
])('%s is not the configured registry', (resolved, what) => {
  const registries = ['https://npm.corp.example/api/npm/npm/', 'http://127.0.0.1:4873/']
  const f = findForeignResolved(pkg(resolved), 'package-lock.json', registries)
  expect(f).toMatchObject({ severity: 'high' })
  expect(f?.message).toBe(
    `postbox-mcp@1.0.1 is installed from ${what}, not from a configured registry.`,
  )
})
