// The unpinned-server finding: which servers of a changed MCP config get it
// (findChanges on a literal repository), and what it says.
import { findChanges, type ChangeSource } from '../../src/scope/index.js'
import { UNPINNED_RULE, unpinnedFinding } from '../../src/scope/unpinned.js'

function repo(base: Record<string, string>, head: Record<string, string>): ChangeSource {
  const paths = new Set([...Object.keys(base), ...Object.keys(head)])
  return {
    listChangedPaths: () => Promise.resolve([...paths].filter((p) => base[p] !== head[p])),
    readBase: (path) => Promise.resolve(base[path] ?? null),
    readHead: (path) => Promise.resolve(head[path] ?? null),
  }
}

const config = (servers: Record<string, string[]>): string =>
  JSON.stringify(
    {
      mcpServers: Object.fromEntries(
        Object.entries(servers).map(([name, args]) => [name, { command: 'npx', args }]),
      ),
    },
    null,
    2,
  ) + '\n'

test('a changed server started from an unpinned spec is reported, at its line', async () => {
  const head = config({
    mail: ['-y', 'postbox-mcp@1.0.1'],
    fresh: ['-y', 'other-mcp'],
    tagged: ['-y', 'tagged-mcp@latest'],
  })
  const scope = await findChanges(
    repo({ '.mcp.json': config({ mail: ['-y', 'postbox-mcp@1.0.0'] }) }, { '.mcp.json': head }),
  )
  const lineOf = (key: string): number => head.split('\n').findIndex((l) => l.includes(key)) + 1
  expect(scope.unpinned.map((p) => [p.server, p.spec, p.line])).toEqual([
    ['fresh', 'other-mcp', lineOf('"fresh"')],
    ['tagged', 'tagged-mcp@latest', lineOf('"tagged"')],
  ])
})

test('a pinned server, or an unpinned one the pull request did not touch, is not reported', async () => {
  const untouched = { legacy: ['-y', 'legacy-mcp'] }
  const scope = await findChanges(
    repo(
      { '.mcp.json': config({ ...untouched, mail: ['-y', 'postbox-mcp@1.0.0'] }) },
      { '.mcp.json': config({ ...untouched, mail: ['-y', 'postbox-mcp@1.0.1'] }) },
    ),
  )
  expect(scope.changes.map((c) => c.name)).toEqual(['postbox-mcp'])
  expect(scope.unpinned).toEqual([])
})

test('the finding names the server and the spec, in the config file', () => {
  const finding = unpinnedFinding({
    config: 'apps/agent/.mcp.json',
    server: 'mail',
    line: 4,
    packageName: 'postbox-mcp',
    spec: 'postbox-mcp@latest',
    selector: 'latest',
    pinned: false,
  })
  expect(finding).toEqual({
    ruleId: UNPINNED_RULE.id,
    category: 'install',
    severity: 'medium',
    file: 'apps/agent/.mcp.json',
    line: 4,
    message: 'Server "mail" runs postbox-mcp@latest, which is not pinned to a version.',
    evidence: 'postbox-mcp@latest',
    repositoryFile: true,
    subject: 'mail:postbox-mcp@latest',
    why: UNPINNED_RULE.why,
  })
})
