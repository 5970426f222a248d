import {
  findManifestReasons,
  findNameReasons,
  findParentReason,
  isIgnored,
  type ScopeOptions,
} from '../../src/scope/relevance.js'
import type { InstalledPackage, PackageChange } from '../../src/scope/types.js'

const opts: ScopeOptions = { scope: 'mcp', packages: [], ignorePackages: [] }
const installed = (name: string, extra: Partial<InstalledPackage> = {}): InstalledPackage => ({
  name,
  version: '1.0.0',
  resolved: null,
  integrity: null,
  location: `node_modules/${name}`,
  line: 1,
  dependents: [],
  dependencies: [],
  ...extra,
})
const change = (
  name: string,
  extra: Partial<InstalledPackage> = {},
  kind: PackageChange['kind'] = 'updated',
): PackageChange => ({
  kind,
  name,
  before: kind === 'added' ? null : installed(name),
  after: installed(name, extra),
  source: 'package-lock.json',
})

test.each([
  'postbox-mcp',
  'mcp-server-time',
  '@acme/mcp',
  'figma-mcp-server',
  '@modelcontextprotocol/server-memory',
  'x.mcp',
  'mcp_tools',
])('%s is MCP-related by name', (name) => {
  expect(findNameReasons(change(name), opts)).not.toEqual([])
})

test.each(['lodash', 'mcpx', 'somemcp', 'zod', '@types/node'])(
  '%s is not MCP-related by name',
  (name) => {
    expect(findNameReasons(change(name), opts)).toEqual([])
  },
)

test('depending on an MCP SDK in the lockfile is a reason', () => {
  expect(
    findNameReasons(change('mailer', { dependencies: ['@modelcontextprotocol/sdk'] }), opts),
  ).toEqual(['depends on @modelcontextprotocol/sdk'])
})

test('user globs include, ignore globs exclude, scope all includes everything', () => {
  expect(findNameReasons(change('@corp/agent-tools'), { ...opts, packages: ['@corp/*'] })).toEqual([
    'matches the packages pattern @corp/*',
  ])
  expect(isIgnored('@corp/x', { ...opts, ignorePackages: ['@corp/**'] })).toBe(true)
  expect(isIgnored('lodash', { ...opts, ignorePackages: ['@corp/**'] })).toBe(false)
  expect(findNameReasons(change('lodash'), { ...opts, scope: 'all' })).toEqual([
    'scope: all reviews every changed package',
  ])
})

test('manifest reasons: mcpName, keywords, SDK dependencies; none for a plain package', () => {
  expect(
    findManifestReasons([
      { mcpName: 'io.github.acme/mail', keywords: ['email', 'MCP'] },
      { peerDependencies: { fastmcp: '^3' } },
    ]),
  ).toEqual(['declares mcpName io.github.acme/mail', 'has the keyword MCP', 'depends on fastmcp'])
  expect(findManifestReasons([{ keywords: ['email'], dependencies: { lodash: '^4' } }])).toEqual([])
  expect(findManifestReasons([{ keywords: 'mcp', dependencies: 'x' }])).toEqual([])
})

test('a package newly added beneath an MCP package is reviewed; an updated one is not by that rule', () => {
  const relevant = new Set(['postbox-mcp'])
  expect(
    findParentReason(change('tiny-helper', { dependents: ['postbox-mcp'] }, 'added'), relevant),
  ).toBe('newly added as a dependency of postbox-mcp')
  expect(
    findParentReason(change('tiny-helper', { dependents: ['postbox-mcp'] }, 'updated'), relevant),
  ).toBeNull()
  expect(
    findParentReason(change('tiny-helper', { dependents: ['express'] }, 'added'), relevant),
  ).toBeNull()
})
