// Every input of the hostile corpus through the bundled CLI (dist/cli.js), as
// a user runs it: `compare old.tgz new.tgz` for packages, `compare name@a
// name@b` against a real registry for registry metadata, `pr` on a real git
// repository for the pull request's own files. Each run gets a fresh TMPDIR,
// HOME and working directory, a 256 MB heap and a timeout; the runs go in
// parallel in beforeAll, and each test reads one run's result.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { ReportSchema, type PackageReview, type Report } from '../../src/schemas.js'
import { mapLimit } from '../../src/util/concurrency.js'
import { startRegistry, type Published, type TestRegistry } from '../helpers/verdaccio.js'
import {
  allInputs,
  BASE_PACKAGE,
  BENIGN_INDEX,
  NEW_VERSION,
  OLD_VERSION,
  baseFiles,
  manifest,
  packageInputs,
  prFileInputs,
  registryInputs,
  type Expectation,
  type HostileInput,
  type PrContext,
} from './corpus.js'
import {
  runSandboxed,
  snapshotDir,
  startCanary,
  terminalProblems,
  type Canary,
  type SandboxRun,
} from './harness.js'
import { packFiles } from '../helpers/pack.js'

const CLI = join(process.cwd(), 'dist/cli.js')
const run = promisify(execFile)
const CONCURRENCY = 3

const packages = packageInputs()
const registryCases = registryInputs()
const prCases = prFileInputs()
/** Packages whose strings are made to break an output: also run with `--format json`. */
const jsonCases = packages.filter(
  (p) => (p.class === 'output' || p.class === 'text') && p.expect.outcome !== 'error',
)

let work: string
let fixtures: string
let repo: string
let registry: TestRegistry
let canary: Canary
const published = new Map<string, Published>()
const runs = new Map<string, SandboxRun>()
const before = { fixtures: [] as string[], repo: [] as string[] }

async function git(...args: string[]): Promise<void> {
  await run(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@t.example', '-c', 'commit.gpgsign=false', ...args],
    { cwd: repo, maxBuffer: 256 * 1024 * 1024 },
  )
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}

/** A repository whose main branch is BASE_FILES and with one branch per pull-request input. */
async function buildRepo(ctx: PrContext): Promise<void> {
  repo = mkdtempSync(join(tmpdir(), 'mdr-hostile-repo-'))
  await git('init', '-q', '-b', 'main')
  writeTree(repo, baseFiles(ctx))
  await git('add', '-A')
  await git('commit', '-qm', 'base')
  for (const input of prCases) {
    await git('checkout', '-q', '-B', `case-${input.id}`, 'main')
    writeTree(repo, input.head(ctx))
    await git('add', '-A')
    await git('commit', '-qm', input.id)
  }
  await git('checkout', '-q', 'main')
}

/** The registry with what the registry and pull-request inputs need, and the repository. */
async function setUpRegistryAndRepo(): Promise<void> {
  ;[registry, canary] = await Promise.all([startRegistry(), startCanary()])
  for (const version of [OLD_VERSION, NEW_VERSION]) {
    const m = manifest(BASE_PACKAGE, version)
    const tgz = packFiles({ 'package.json': JSON.stringify(m), 'index.js': BENIGN_INDEX })
    published.set(`${BASE_PACKAGE}@${version}`, await registry.publish(m, tgz))
  }
  for (const input of registryCases) {
    for (const v of input.versions({ canary: canary.url }))
      await registry.publish(v.manifest, v.tgz)
  }
  await buildRepo({
    published: (name, version) => published.get(`${name}@${version}`)!,
    canary: canary.url,
  })
  before.repo = snapshotDir(repo)
}

function argsFor(input: HostileInput, out: string): string[] {
  const report = ['--output', out]
  switch (input.kind) {
    case 'package':
      return [
        'compare',
        join(fixtures, `${input.id}-old.tgz`),
        join(fixtures, `${input.id}-new.tgz`),
        ...report,
      ]
    case 'registry':
      return [
        'compare',
        `${input.name}@${OLD_VERSION}`,
        `${input.name}@${NEW_VERSION}`,
        '--registry',
        registry.url,
        ...report,
      ]
    case 'pr-file':
      return [
        'pr',
        '--repo',
        repo,
        '--base',
        'main',
        '--head',
        `case-${input.id}`,
        '--registry',
        registry.url,
        ...report,
      ]
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mdr-hostile-cli-'))
  fixtures = join(work, 'fixtures')
  mkdirSync(fixtures)
  for (const input of packages) {
    writeFileSync(join(fixtures, `${input.id}-old.tgz`), input.old)
    writeFileSync(join(fixtures, `${input.id}-new.tgz`), input.new)
  }
  before.fixtures = snapshotDir(fixtures)
  // `compare` runs need neither registry nor repository: they start while those are set up.
  const ready = setUpRegistryAndRepo()
  ready.catch(() => {}) // awaited below; a failure fails beforeAll there
  const inputs: HostileInput[] = [
    ...packages.filter((p) => p.id === 'gzip-bomb'), // the slowest first, not last
    ...packages.filter((p) => p.id !== 'gzip-bomb'),
    ...registryCases,
    ...prCases,
  ]
  const jobs = [
    ...inputs.map((input) => ({ input, id: input.id, extra: [] as string[] })),
    // The same strings through `--format json` on stdout.
    ...jsonCases.map((input) => ({ input, id: `${input.id}#json`, extra: ['--format', 'json'] })),
  ]
  await mapLimit(jobs, CONCURRENCY, async ({ input, id, extra }) => {
    if (input.kind !== 'package') await ready
    const result = await runSandboxed(work, CLI, {
      args: (root) => [...argsFor(input, join(root, 'report.json')), ...extra],
    })
    runs.set(id, result)
  })
  await ready
}, 180_000)

afterAll(async () => {
  await Promise.all([registry?.stop(), canary?.stop()])
  for (const dir of [work, repo]) if (dir) rmSync(dir, { recursive: true, force: true })
})

function reportOf(run: SandboxRun): Report | null {
  const file = join(run.root, 'report.json')
  return existsSync(file) ? ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : null
}

/** What every run must satisfy, whatever the input. */
function expectContained(run: SandboxRun): void {
  expect(run.signal).toBeNull() // not killed by the timeout, not crashed
  expect([0, 1, 2]).toContain(run.code)
  expect(run.leftovers).toEqual([]) // nothing left in TMPDIR, HOME or the working directory
  expect(terminalProblems(run.stdout)).toEqual([])
  expect(terminalProblems(run.stderr)).toEqual([])
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /)
}

/** An error: exit 2, nothing on stdout, one line on stderr naming the code. */
function expectOneLineError(run: SandboxRun, code: string, message: RegExp): void {
  expect(run.code).toBe(2)
  expect(run.stdout).toBe('')
  const lines = run.stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  const prefix = `mcp-diff-review: ${code}: `
  expect(lines[0]!.startsWith(prefix)).toBe(true)
  expect(lines[0]!.slice(prefix.length)).toMatch(message)
}

function expectReview(run: SandboxRun, expectation: Expectation, pkg: PackageReview): void {
  switch (expectation.outcome) {
    case 'reviewed': {
      expect(pkg.status).toBe('reviewed')
      const rules = new Set(pkg.findings.map((f) => f.ruleId))
      for (const id of expectation.ruleIds ?? []) expect(rules).toContain(id)
      const paths = pkg.files.map((f) => f.path)
      for (const path of expectation.files ?? []) expect(paths).toContain(path)
      expect(run.code).toBe(pkg.risk === 'high' || pkg.risk === 'critical' ? 1 : 0)
      break
    }
    case 'unverified':
    case 'error':
      // Cut short by a bound: fails closed (--allow-unverified is not given).
      expect(pkg).toMatchObject({ status: 'unverified', error: { code: expectation.code } })
      expect(pkg.error!.message).toMatch(expectation.message)
      expect(run.code).toBe(1)
      break
  }
  // The verdict is one line on stderr.
  expect(run.stderr).toMatch(/^(PASS|FAIL): [^\n]*\n$/)
}

describe.each(packages.map((p) => [p.class, p.id, p] as const))(
  'compare, %s: %s',
  (_class, id, input) => {
    test(input.what, () => {
      const run = runs.get(id)!
      expectContained(run)
      if (input.expect.outcome === 'error') {
        expectOneLineError(run, input.expect.code, input.expect.message)
        expect(reportOf(run)).toBeNull()
        return
      }
      const report = reportOf(run)!
      expect(report.packages).toHaveLength(1)
      expectReview(run, input.expect, report.packages[0]!)
    })
  },
)

describe.each(jsonCases.map((p) => [p.class, p.id, p] as const))(
  'compare --format json, %s: %s',
  (_class, id) => {
    test('stdout is the report, with nothing a terminal or the runner would interpret', () => {
      const run = runs.get(`${id}#json`)!
      expectContained(run)
      expect(JSON.parse(run.stdout)).toEqual(
        JSON.parse(readFileSync(join(run.root, 'report.json'), 'utf8')),
      )
    })
  },
)

describe.each(registryCases.map((r) => [r.id, r] as const))(
  'compare, registry: %s',
  (id, input) => {
    test(input.what, () => {
      const run = runs.get(id)!
      expectContained(run)
      const report = reportOf(run)!
      expectReview(run, input.expect, report.packages[0]!)
    })
  },
)

describe.each(prCases.map((p) => [p.class, p.id, p] as const))(
  'pr, %s: %s',
  (_class, id, input) => {
    test(input.what, () => {
      const run = runs.get(id)!
      expectContained(run)
      if (input.expect.outcome === 'error') {
        expectOneLineError(run, input.expect.code, input.expect.message)
        return
      }
      const report = reportOf(run)!
      expect(report.packages.length).toBeGreaterThan(0)
      const rules = new Set(report.packages.flatMap((p) => p.findings.map((f) => f.ruleId)))
      for (const rule of input.expect.ruleIds ?? []) expect(rules).toContain(rule)
      expect(run.stderr).toMatch(/^(PASS|FAIL): [^\n]*\n$/)
    })
  },
)

test('the corpus holds at least 25 inputs, in every class', () => {
  const inputs = allInputs()
  expect(inputs.length).toBeGreaterThanOrEqual(25)
  expect(new Set(inputs.map((i) => i.class))).toEqual(
    new Set(['archive', 'text', 'pr-file', 'registry', 'output']),
  )
  expect(new Set(inputs.map((i) => i.id)).size).toBe(inputs.length)
})

test('no run changed the fixtures or the repository', () => {
  expect(snapshotDir(fixtures)).toEqual(before.fixtures)
  expect(snapshotDir(repo)).toEqual(before.repo)
})

test('no resolved URL of a lockfile was fetched', () => {
  expect(canary.requests).toEqual([])
})
