// The bundled CLI (dist/cli.js, rebuilt by `npm test`) run as a user runs it,
// under the Node 24 of node_modules/.bin, on fixture tarballs.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReportSchema } from '../../src/schemas.js'
import { packDir, packFiles } from '../helpers/pack.js'

const NODE = join(process.cwd(), 'node_modules/.bin/node')
const CLI = join(process.cwd(), 'dist/cli.js')
const POSTBOX = join(process.cwd(), '__tests__/fixtures/packages/postbox-mcp')
let work: string
const tgz: Record<string, string> = {}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mdr-cli-'))
  for (const v of ['1.0.0', '1.0.1', '1.1.0']) {
    tgz[v] = join(work, `postbox-mcp-${v}.tgz`)
    writeFileSync(tgz[v]!, await packDir(join(POSTBOX, v)))
  }
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(NODE, [CLI, ...args], { encoding: 'utf8', cwd: work, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

test('compare --format json honours the report contract on the malicious pair, exit 1', () => {
  const r = cli('compare', tgz['1.0.0']!, tgz['1.0.1']!, '--format', 'json')
  expect(r.code).toBe(1)
  const report = ReportSchema.parse(JSON.parse(r.stdout))
  expect(report).toMatchObject({ schemaVersion: 1, risk: 'critical' })
  expect(report.packages[0]).toMatchObject({
    name: 'postbox-mcp',
    from: '1.0.0',
    to: '1.0.1',
    risk: 'critical',
  })
  expect(report.packages[0]!.findings[0]).toEqual({
    ruleId: 'threat-email-hardcoded-recipient',
    category: 'email',
    severity: 'critical',
    file: 'index.js',
    line: 21,
    message: 'Mail field `Bcc` gets the constant address copies@postbox-backup.example.',
    evidence: "Bcc: 'copies@postbox-backup.example'",
    subject: 'bcc:copies@postbox-backup.example',
    fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    why: expect.stringContaining('postmark-mcp 1.0.16'),
  })
  expect(r.stderr).toBe('FAIL: risk critical (fail-on: high).\n')
})

test('compare prints Markdown naming the recipient, and --output writes the JSON report', () => {
  const out = join(work, 'report.json')
  const r = cli('compare', tgz['1.0.0']!, tgz['1.0.1']!, '--output', out)
  expect(r.code).toBe(1)
  expect(r.stdout).toContain('threat-email-hardcoded-recipient')
  expect(r.stdout).toContain('index.js:21')
  expect(ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).risk).toBe('critical')
})

test('the benign pair passes at the default threshold', () => {
  const r = cli('compare', tgz['1.0.0']!, tgz['1.1.0']!, '--format', 'json')
  expect(r.code).toBe(0)
  expect(['none', 'low', 'medium']).toContain(JSON.parse(r.stdout).risk)
})

test('--fail-on never passes a critical review; --fail-on low fails the benign one only if it has findings', () => {
  expect(cli('compare', tgz['1.0.0']!, tgz['1.0.1']!, '--fail-on', 'never').code).toBe(0)
  const benign = cli(
    'compare',
    tgz['1.0.0']!,
    tgz['1.1.0']!,
    '--format',
    'json',
    '--fail-on',
    'low',
  )
  expect(benign.code).toBe(JSON.parse(benign.stdout).risk === 'none' ? 0 : 1)
})

test.each([
  [['compare', 'missing.tgz', 'also-missing.tgz'], /^mcp-diff-review: E[A-Z]+: .*missing\.tgz/],
  [['compare', 'github:evil/repo', 'x@1.0.0'], /^mcp-diff-review: ESPEC: .*prepare/],
  [['compare', 'a.tgz'], /^mcp-diff-review: EUSAGE: compare takes exactly two packages/],
  [
    ['compare', 'a.tgz', 'b.tgz', '--fail-on', 'severe'],
    /^mcp-diff-review: EUSAGE: --fail-on has an invalid value "severe"\. Allowed: none, low, medium, high, critical, never\./,
  ],
  [['frobnicate'], /^mcp-diff-review: EUSAGE: Unknown command "frobnicate"/],
  [['compare', 'a', 'b', '--bogus'], /^mcp-diff-review: EUSAGE: .*--bogus/],
  // A policy that exists and cannot be read is an error before anything is
  // fetched (the packages do not exist), never a silently empty policy.
  [
    ['compare', 'missing.tgz', 'also-missing.tgz', '--config', '.'],
    /^mcp-diff-review: ECONFIG: \.: cannot read the policy file \(EISDIR\)/,
  ],
])('an error is one clear line on stderr and exit 2: %j', (args, message) => {
  const r = cli(...args)
  expect(r.code).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr).toMatch(message)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
})

test('a file over --file-timeout leaves its package unverified: exit 1, or 0 with --allow-unverified', () => {
  const manifest = (version: string): string =>
    JSON.stringify({ name: 'bundle-mcp', version, main: 'dist/index.js' })
  const body = (n: number): string =>
    Array.from({ length: n }, (_, i) => `export function f${i}(a) { return a + ${i} }`).join('\n')
  const oldTgz = join(work, 'bundle-mcp-1.0.0.tgz')
  const newTgz = join(work, 'bundle-mcp-1.0.1.tgz')
  writeFileSync(oldTgz, packFiles({ 'package.json': manifest('1.0.0'), 'dist/index.js': body(10) }))
  // About 2.7 MB (under the parse limit): far more than 0.1 s of parsing and walking.
  writeFileSync(
    newTgz,
    packFiles({ 'package.json': manifest('1.0.1'), 'dist/index.js': body(60_000) }),
  )
  const r = cli('compare', oldTgz, newTgz, '--format', 'json', '--file-timeout', '0.1')
  expect(r.code).toBe(1)
  const pkg = ReportSchema.parse(JSON.parse(r.stdout)).packages[0]!
  expect(pkg.status).toBe('unverified')
  expect(pkg.error).toEqual({
    code: 'EANALYSIS',
    message: 'Not fully reviewed: dist/index.js: its analysis took longer than 0.1 s',
  })
  expect(r.stderr).toMatch(/not fully verified|unverified/i)
  const allowed = cli('compare', oldTgz, newTgz, '--file-timeout', '0.1', '--allow-unverified')
  expect(allowed.code).toBe(0)
  // With the default budget the same pair is reviewed in full.
  const whole = cli('compare', oldTgz, newTgz, '--format', 'json')
  expect(ReportSchema.parse(JSON.parse(whole.stdout)).packages[0]!.status).toBe('reviewed')
})

test('--help and --version', () => {
  expect(cli('--help')).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('mcp-diff-review compare <old> <new>'),
  })
  expect(cli('--version').stdout.trim()).toBe(
    JSON.parse(readFileSync('package.json', 'utf8')).version,
  )
})
