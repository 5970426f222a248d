// `mcp-diff-review pr` on a real git repository whose second commit bumps an
// MCP server in package-lock.json and a server pin in .mcp.json, with every
// version served by a real registry (Verdaccio) the lockfile's URLs point to.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReportSchema, type Report } from '../../src/schemas.js'
import { packDir, packFiles } from '../helpers/pack.js'
import { startRegistry, type Published, type TestRegistry } from '../helpers/verdaccio.js'

const NODE = join(process.cwd(), 'node_modules/.bin/node')
const CLI = join(process.cwd(), 'dist/cli.js')
const POSTBOX = join(process.cwd(), '__tests__/fixtures/packages/postbox-mcp')

let registry: TestRegistry
let repo: string
const published: Record<string, Published> = {}

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.example', ...args], {
    cwd: repo,
    encoding: 'utf8',
  })
}

function lockfile(postbox: string, plain: string): string {
  const entry = (name: string, version: string, extra: object = {}): object => {
    const p = published[`${name}@${version}`]!
    return { version, resolved: p.tarball, integrity: p.integrity, ...extra }
  }
  return (
    JSON.stringify(
      {
        name: 'agent-app',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': {
            name: 'agent-app',
            version: '1.0.0',
            dependencies: { 'postbox-mcp': postbox, 'plain-lib': plain },
          },
          'node_modules/plain-lib': entry('plain-lib', plain),
          'node_modules/postbox-mcp': entry('postbox-mcp', postbox, {
            bin: { 'postbox-mcp': 'index.js' },
          }),
        },
      },
      null,
      2,
    ) + '\n'
  )
}

function mcpJson(pin: string, extra = ''): string {
  return `{\n  "mcpServers": {\n    "mail": { "command": "npx", "args": ["-y", "postbox-mcp@${pin}"] }${extra}\n  }\n}\n`
}

beforeAll(async () => {
  registry = await startRegistry()
  for (const v of ['1.0.0', '1.0.1']) {
    const manifest = JSON.parse(readFileSync(join(POSTBOX, v, 'package.json'), 'utf8'))
    published[`postbox-mcp@${v}`] = await registry.publish(
      manifest,
      await packDir(join(POSTBOX, v)),
    )
    const plain = { name: 'plain-lib', version: v, main: 'index.js' }
    published[`plain-lib@${v}`] = await registry.publish(
      plain,
      packFiles({ 'package.json': JSON.stringify(plain), 'index.js': `module.exports = '${v}'\n` }),
    )
  }
  const other = { name: 'other-mcp', version: '2.0.0', keywords: ['mcp'] }
  await registry.publish(
    other,
    packFiles({ 'package.json': JSON.stringify(other), 'index.js': 'export {}\n' }),
  )

  repo = mkdtempSync(join(tmpdir(), 'mdr-pr-repo-'))
  git('init', '-q', '-b', 'main')
  writeFileSync(join(repo, 'package-lock.json'), lockfile('1.0.0', '1.0.0'))
  writeFileSync(join(repo, '.mcp.json'), mcpJson('1.0.0'))
  git('add', '-A')
  git('commit', '-qm', 'base')
  git('checkout', '-qb', 'bump')
  writeFileSync(join(repo, 'package-lock.json'), lockfile('1.0.1', '1.0.1'))
  writeFileSync(
    join(repo, '.mcp.json'),
    mcpJson('1.0.1', ',\n    "other": { "command": "npx", "args": ["-y", "other-mcp"] }'),
  )
  git('add', '-A')
  git('commit', '-qm', 'bump postbox-mcp from 1.0.0 to 1.0.1')
}, 60_000)

afterAll(async () => {
  await registry?.stop()
  if (repo) rmSync(repo, { recursive: true, force: true })
})

function pr(...args: string[]): { code: number | null; report: Report | null; stderr: string } {
  const r = spawnSync(
    NODE,
    [CLI, 'pr', '--repo', repo, '--registry', registry.url, '--format', 'json', ...args],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  )
  return {
    code: r.status,
    report: r.stdout ? ReportSchema.parse(JSON.parse(r.stdout)) : null,
    stderr: r.stderr,
  }
}

test('reviews exactly the MCP-related changes and rates the malicious bump critical', () => {
  const { code, report, stderr } = pr('--base', 'main', '--head', 'bump')
  expect(stderr).toMatch(/^FAIL: risk critical/)
  expect(code).toBe(1)
  const rows = report!.packages.map((p) => [p.name, p.from, p.to, p.risk, p.source?.file])
  expect(rows).toEqual(
    expect.arrayContaining([
      ['postbox-mcp', '1.0.0', '1.0.1', 'critical', 'package-lock.json'],
      ['postbox-mcp', '1.0.0', '1.0.1', 'critical', '.mcp.json'],
      ['other-mcp', null, '2.0.0', 'medium', '.mcp.json'],
    ]),
  )
  expect(rows).toHaveLength(3)
  const lock = report!.packages.find((p) => p.source?.file === 'package-lock.json')!
  expect(lock.reasons).toEqual(['its name marks it as an MCP package'])
  expect(lock.source!.line).toBe(
    readFileSync(join(repo, 'package-lock.json'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('"node_modules/postbox-mcp"')) + 1,
  )
  expect(lock.findings[0]).toMatchObject({
    ruleId: 'threat-email-hardcoded-recipient',
    file: 'index.js',
    line: 21,
  })
  const other = report!.packages.find((p) => p.name === 'other-mcp')!
  expect(other.findings[0]).toMatchObject({
    ruleId: 'threat-install-unpinned-mcp-server',
    file: '.mcp.json',
    repositoryFile: true,
  })
})

test('defaults: base is the merge base with the default branch, head the working tree', () => {
  const { code, report } = pr()
  expect(code).toBe(1)
  expect(report!.packages.filter((p) => p.name === 'postbox-mcp')).toHaveLength(2)
})

test('nothing MCP-related changed: an empty review and success', () => {
  const { code, report } = pr('--base', 'bump', '--head', 'bump')
  expect(code).toBe(0)
  expect(report).toMatchObject({ risk: 'none', packages: [] })
})

test('a bad ref is one clear error line and exit 2', () => {
  const { code, stderr } = pr('--base', 'no-such-branch')
  expect(code).toBe(2)
  expect(stderr).toMatch(/^mcp-diff-review: EGIT: git .* failed in .*no-such-branch/)
})
