import {
  diffServerPins,
  mcpConfigKey,
  packageSpecOf,
  parseMcpConfig,
} from '../../src/scope/mcp-configs.js'
import { ReviewError } from '../../src/errors.js'

test.each([
  ['.mcp.json', 'mcpServers'],
  ['apps/web/.cursor/mcp.json', 'mcpServers'],
  ['.vscode/mcp.json', 'servers'],
  ['claude_desktop_config.json', 'mcpServers'],
  ['.gemini/settings.json', 'mcpServers'],
  ['package.json', null],
  ['.vscode/settings.json', null],
])('recognises %s', (path, key) => {
  expect(mcpConfigKey(path)).toBe(key)
})

test.each([
  [['npx', '-y', 'postbox-mcp@1.0.1', '--port', '3'], 'postbox-mcp@1.0.1'],
  [['npx', '--yes', '--registry', 'https://r.example', '@acme/mcp@2.0.0'], '@acme/mcp@2.0.0'],
  [['npx', '-p', 'tool-mcp@1.2.3', 'tool-mcp-serve'], 'tool-mcp@1.2.3'],
  [['npx', '--package=tool-mcp@1.2.3', 'serve'], 'tool-mcp@1.2.3'],
  [['C:\\Program Files\\nodejs\\npx.cmd', '-y', 'x-mcp'], 'x-mcp'],
  [['bunx', 'x-mcp@1.0.0'], 'x-mcp@1.0.0'],
  [['pnpm', 'dlx', 'x-mcp@1.0.0'], 'x-mcp@1.0.0'],
  [['yarn', 'dlx', '-q', 'x-mcp@1.0.0'], 'x-mcp@1.0.0'],
  [['npm', 'exec', '--yes', '--', 'x-mcp@1.0.0'], 'x-mcp@1.0.0'],
  [['node', 'server.js'], null],
  [['uvx', 'mcp-server-git'], null],
  [['pnpm', 'install'], null],
])('finds the package in %j', (words, spec) => {
  expect(packageSpecOf(words)).toBe(spec)
})

const config = (servers: string, key = 'mcpServers'): string => `{
  // comments are allowed in VS Code's file
  "${key}": {
${servers}
  },
}
`

test('reads pinned and unpinned servers with their lines', () => {
  const text = config(`    "mail": { "command": "npx", "args": ["-y", "postbox-mcp@1.0.1"] },
    "fs": { "command": "npx -y @modelcontextprotocol/server-filesystem /tmp" },
    "latest": { "command": "npx", "args": ["-y", "x-mcp@latest"] },
    "local": { "command": "node", "args": ["server.js"] },
    "remote": { "type": "http", "url": "https://mcp.example/mcp" }`)
  expect(parseMcpConfig('.mcp.json', text)).toEqual([
    {
      config: '.mcp.json',
      server: 'mail',
      line: 4,
      packageName: 'postbox-mcp',
      spec: 'postbox-mcp@1.0.1',
      selector: '1.0.1',
      pinned: true,
    },
    {
      config: '.mcp.json',
      server: 'fs',
      line: 5,
      packageName: '@modelcontextprotocol/server-filesystem',
      spec: '@modelcontextprotocol/server-filesystem',
      selector: 'latest',
      pinned: false,
    },
    {
      config: '.mcp.json',
      server: 'latest',
      line: 6,
      packageName: 'x-mcp',
      spec: 'x-mcp@latest',
      selector: 'latest',
      pinned: false,
    },
  ])
})

test('VS Code uses "servers"', () => {
  const pins = parseMcpConfig(
    '.vscode/mcp.json',
    config(`    "m": { "command": "npx", "args": ["m-mcp@2.0.0"] }`, 'servers'),
  )
  expect(pins.map((p) => p.spec)).toEqual(['m-mcp@2.0.0'])
})

test('a broken config is an error naming the file and line', () => {
  expect(() =>
    parseMcpConfig('.cursor/mcp.json', '{\n  "mcpServers": {\n    "a": { "command": \n'),
  ).toThrow(
    expect.objectContaining({
      code: 'ECONFIG',
      message: expect.stringMatching(/^\.cursor\/mcp\.json:\d+: not valid JSON/),
    }),
  )
  expect(() => parseMcpConfig('.mcp.json', '[')).toThrow(ReviewError)
})

test('__proto__ server names do not pollute', () => {
  parseMcpConfig(
    '.mcp.json',
    config(`    "__proto__": { "command": "npx", "args": ["a-mcp@1.0.0"], "polluted": 1 }`),
  )
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
})

test('pin changes become package changes; unchanged pins do not', () => {
  const before = parseMcpConfig(
    '.mcp.json',
    config(`    "mail": { "command": "npx", "args": ["-y", "postbox-mcp@1.0.0"] },
    "same": { "command": "npx", "args": ["-y", "same-mcp@3.0.0"] }`),
  )
  const after = parseMcpConfig(
    '.mcp.json',
    config(`    "mail": { "command": "npx", "args": ["-y", "postbox-mcp@1.0.1"] },
    "same": { "command": "npx", "args": ["-y", "same-mcp@3.0.0"] },
    "new": { "command": "npx", "args": ["-y", "new-mcp"] }`),
  )
  const changes = diffServerPins(before, after)
  expect(
    changes.map((c) => [
      c.kind,
      c.name,
      c.before?.version ?? null,
      c.after?.version,
      c.after?.location,
    ]),
  ).toEqual([
    ['updated', 'postbox-mcp', '1.0.0', '1.0.1', '.mcp.json#mail'],
    ['added', 'new-mcp', null, 'latest', '.mcp.json#new'],
  ])
})
