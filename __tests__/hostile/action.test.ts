// The hostile corpus through the bundled action (dist/index.js) on
// pull_request_target events from a fork, against the local GitHub API
// (checked against GitHub's OpenAPI description) and a real registry
// (Verdaccio) serving the hostile packages. Package inputs go a few to a pull
// request (one class each, every package bumped); each input of the pull
// request's own files gets a pull request of its own. The runs go in parallel
// in beforeAll, each in a sandbox (fresh TMPDIR, HOME, working directory;
// 256 MB heap; timeout).
//
// What every run must show: a clean exit, nothing left behind, a comment and
// summary with no structure we did not write and the marker once, no workflow
// command we did not issue, and no token anywhere but in ::add-mask::.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReportSchema, type PackageReview, type Report } from '../../src/schemas.js'
import { mapLimit } from '../../src/util/concurrency.js'
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js'
import { packFiles } from '../helpers/pack.js'
import {
  startRegistry,
  type PackageManifest,
  type Published,
  type TestRegistry,
} from '../helpers/verdaccio.js'
import {
  BASE_PACKAGE,
  BENIGN_INDEX,
  NEW_VERSION,
  OLD_VERSION,
  baseFiles,
  lockText,
  manifest,
  npmLock,
  packageInputs,
  prFileInputs,
  registryInputs,
  type Expectation,
  type PackageInput,
  type PrContext,
  type PrFileInput,
  type RegistryInput,
} from './corpus.js'
import {
  markdownProblems,
  runSandboxed,
  startCanary,
  terminalProblems,
  type Canary,
  type SandboxRun,
} from './harness.js'

const ACTION = join(process.cwd(), 'dist/index.js')
const REPO = 'octo/agent-app'
const MARKER = '<!-- mcp-diff-review -->'
const CONCURRENCY = 4
/** GitHub refuses a longer comment body. */
const MAX_COMMENT = 65536

/** Commands @actions/core issues for us; anything else on a `::` line came from somewhere else. */
const PROPERTY = '(?:title|file|line|endLine|col|endColumn)=[^,:\\n]*'
const OUR_COMMAND = new RegExp(
  `^::(?:add-mask|debug|group|endgroup)::|^::(?:error|warning|notice)(?: ${PROPERTY}(?:,${PROPERTY})*)?::`,
)

type PackageLike = PackageInput | RegistryInput

/** One pull request: the packages it bumps, or the one hostile file input. */
interface PullRequestCase {
  id: string
  number: number
  packages: PackageLike[]
  input: PrFileInput | null
  base: Record<string, string>
  head: Record<string, string>
}

interface ActionRun extends SandboxRun {
  summary: string
  outputs: string
  report: Report | null
  comments: string[]
}

const packages = packageInputs()
const registryCases = registryInputs()
const prCases = prFileInputs()

/** Package inputs go a few to a pull request (one class each), so the runs share the cores. */
const MAX_PER_PR = 6
const groups: Array<{ id: string; packages: PackageLike[] }> = []
for (const cls of ['archive', 'text', 'output', 'registry']) {
  const members = [...packages, ...registryCases].filter((p) => p.class === cls)
  const n = Math.ceil(members.length / MAX_PER_PR)
  for (let k = 0; k < n; k++) {
    groups.push({
      id: `packages-${cls}-${k + 1}`,
      packages: members.filter((_, i) => i % n === k),
    })
  }
}

let work: string
let registry: TestRegistry
let gh: GitHubServer
let canary: Canary
const published = new Map<string, Published>()
const runs = new Map<string, ActionRun>()

function ctx(): PrContext {
  return { published: (name, version) => published.get(`${name}@${version}`)!, canary: canary.url }
}

async function publish(versions: Array<{ manifest: PackageManifest; tgz: Buffer }>): Promise<void> {
  // The versions of one package in order: each publish merges into its document.
  for (const { manifest: m, tgz } of versions) {
    published.set(`${m.name}@${m.version}`, await registry.publish(m, tgz))
  }
}

/** What the pull-request inputs need: the base package at both versions. */
async function publishBase(): Promise<void> {
  await publish(
    [OLD_VERSION, NEW_VERSION].map((version) => {
      const m = manifest(BASE_PACKAGE, version)
      return {
        manifest: m,
        tgz: packFiles({ 'package.json': JSON.stringify(m), 'index.js': BENIGN_INDEX }),
      }
    }),
  )
}

/** Every hostile package at both versions, a few packages at a time. */
async function publishInputs(): Promise<void> {
  const byPackage = [
    ...packages.map((input) => [
      { manifest: manifest(input.name, OLD_VERSION), tgz: input.old },
      { manifest: manifest(input.name, NEW_VERSION), tgz: input.new },
    ]),
    ...registryCases.map((input) => input.versions({ canary: canary.url })),
  ]
  await mapLimit(byPackage, 8, publish)
}

function groupCase(group: (typeof groups)[number], number: number): PullRequestCase {
  const lock = (version: string): string =>
    lockText(
      npmLock(
        ctx(),
        group.packages.map((p) => ({ name: p.name, version })),
      ),
    )
  return {
    id: group.id,
    number,
    packages: group.packages,
    input: null,
    base: { 'package-lock.json': lock(OLD_VERSION) },
    head: { 'package-lock.json': lock(NEW_VERSION) },
  }
}

function prFileCase(input: PrFileInput, number: number): PullRequestCase {
  const base = baseFiles(ctx())
  return {
    id: input.id,
    number,
    packages: [],
    input,
    base,
    head: { ...base, ...input.head(ctx()) },
  }
}

function seed(c: PullRequestCase): object {
  const sha = (n: number): string => n.toString(16).padStart(40, '0')
  const changed = Object.keys(c.head).filter((path) => c.head[path] !== c.base[path])
  gh.addPullRequest(REPO, {
    number: c.number,
    fork: true,
    base: { sha: sha(c.number), files: c.base },
    head: { sha: sha(1000 + c.number), files: c.head },
    // Listed by hand: GitHub sends no patch for huge files, and diffing 65 MiB here is slow.
    changedFiles: changed.map((filename) => ({
      filename,
      status: c.base[filename] === undefined ? 'added' : 'modified',
    })),
  })
  return {
    action: 'synchronize',
    number: c.number,
    pull_request: {
      number: c.number,
      base: { sha: sha(c.number), ref: 'main', repo: { full_name: REPO } },
      head: {
        sha: sha(1000 + c.number),
        ref: `case-${c.id}`,
        repo: { full_name: `mallory/agent-app` },
      },
    },
    repository: { name: 'agent-app', owner: { login: 'octo' }, full_name: REPO },
  }
}

async function runAction(c: PullRequestCase, payload: object): Promise<ActionRun> {
  const run = await runSandboxed(work, ACTION, {
    args: () => [],
    setup: (root) => {
      writeFileSync(join(root, 'event.json'), JSON.stringify(payload))
      writeFileSync(join(root, 'output'), '')
      writeFileSync(join(root, 'summary'), '')
      mkdirSync(join(root, 'runner-temp'))
    },
    env: (root) => ({
      GITHUB_ACTIONS: 'true',
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPO,
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: join(root, 'event.json'),
      GITHUB_OUTPUT: join(root, 'output'),
      GITHUB_STEP_SUMMARY: join(root, 'summary'),
      RUNNER_TEMP: join(root, 'runner-temp'),
      'INPUT_GITHUB-TOKEN': gh.token!,
      'INPUT_REGISTRY-URL': registry.url,
      'INPUT_REGISTRY-TOKEN': registry.token,
      'INPUT_FAIL-ON': 'high',
      'INPUT_FAIL-ON-UNVERIFIED': 'true',
      INPUT_COMMENT: 'always',
      INPUT_SCOPE: 'mcp',
    }),
  })
  const reportPath = join(run.root, 'runner-temp', 'mcp-diff-review-report.json')
  let report: Report | null = null
  try {
    report = ReportSchema.parse(JSON.parse(readFileSync(reportPath, 'utf8')))
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw err
  }
  return {
    ...run,
    summary: readFileSync(join(run.root, 'summary'), 'utf8'),
    outputs: readFileSync(join(run.root, 'output'), 'utf8'),
    report,
    comments: gh.comments(REPO, c.number).map((comment) => comment.body),
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mdr-hostile-action-'))
  ;[registry, gh, canary] = await Promise.all([startRegistry(), startGitHubServer(), startCanary()])
  await publishBase()
  // The pull-request inputs run while the hostile packages are published.
  const inputsPublished = publishInputs()
  inputsPublished.catch(() => {}) // awaited below; a failure fails beforeAll there
  type Job = () => Promise<PullRequestCase>
  const jobs: Job[] = [
    ...prCases.map((input, i) => async () => prFileCase(input, i + 1)),
    // The bomb first among the packages, so the slowest run does not start last.
    ...[...groups]
      .sort((a, b) => heavy(b) - heavy(a))
      .map((group) => async () => {
        await inputsPublished
        return groupCase(group, prCases.length + 1 + groups.indexOf(group))
      }),
  ]
  await mapLimit(jobs, CONCURRENCY, async (job) => {
    const c = await job()
    runs.set(c.id, await runAction(c, seed(c)))
  })
  await inputsPublished
}, 180_000)

function heavy(group: { packages: PackageLike[] }): number {
  return Number(group.packages.some((p) => p.id === 'gzip-bomb'))
}

afterAll(async () => {
  await Promise.all([registry?.stop(), gh?.stop(), canary?.stop()])
  if (work) rmSync(work, { recursive: true, force: true })
})

/** What every run must satisfy, whatever the input. */
function expectContained(run: ActionRun): void {
  expect(run.signal).toBeNull() // not killed by the timeout, not crashed
  expect([0, 1]).toContain(run.code)
  expect(run.leftovers).toEqual([])
  // Every `::` line is a command @actions/core issued, and attacker text formed none.
  expect(terminalProblems(run.stdout, (line) => OUR_COMMAND.test(line))).toEqual([])
  expect(terminalProblems(run.stderr)).toEqual([])
  expect(run.stdout).not.toMatch(/internal error|\n\s+at /)
  // Tokens: registered as secrets (::add-mask::), and nowhere else.
  for (const token of [gh.token!, registry.token]) {
    const lines = run.stdout.split('\n').filter((line) => line.includes(token))
    expect(lines.every((line) => line === `::add-mask::${token}`)).toBe(true)
    for (const text of [
      run.stderr,
      run.summary,
      run.outputs,
      JSON.stringify(run.report),
      ...run.comments,
    ]) {
      expect(text).not.toContain(token)
    }
  }
  expect(run.comments.length).toBeLessThanOrEqual(1)
  for (const body of run.comments) {
    expect(markdownProblems(body, MARKER)).toEqual([])
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT)
  }
  if (run.summary) expect(markdownProblems(run.summary, MARKER)).toEqual([])
}

function findPackage(report: Report, input: PackageLike): PackageReview {
  // A hostile package.json may rename the package: it keeps the published name as a prefix.
  const pkg = report.packages.find(
    (p) => p.name === input.name || p.name.startsWith(`${input.name} `),
  )
  if (!pkg) throw new Error(`${input.name} is not in the report`)
  return pkg
}

function expectReview(pkg: PackageReview, expectation: Expectation): void {
  if (expectation.outcome === 'reviewed') {
    expect(pkg.status).toBe('reviewed')
    const rules = new Set(pkg.findings.map((f) => f.ruleId))
    for (const id of expectation.ruleIds ?? []) expect(rules).toContain(id)
    for (const path of expectation.files ?? []) expect(pkg.files.map((f) => f.path)).toContain(path)
    return
  }
  // Cut short or unreadable: unverified, and the run goes on to the other packages.
  expect(pkg).toMatchObject({ status: 'unverified', error: { code: expectation.code } })
  expect(pkg.error!.message).toMatch(expectation.message)
}

describe.each(groups.map((g) => [g.id, g] as const))('a pull request bumping %s', (id, group) => {
  test('runs contained: exit, leftovers, log, tokens, comment and summary', () => {
    const run = runs.get(id)!
    expectContained(run)
    expect(run.report!.packages).toHaveLength(group.packages.length)
    // Every one of them fails the run: a finding of high risk, or unverified.
    expect(run.code).toBe(1)
    expect(run.comments).toHaveLength(1)
  })

  test.each(group.packages.map((p) => [p.id, p] as const))('%s', (_id, input) => {
    expectReview(findPackage(runs.get(id)!.report!, input), input.expect)
  })
})

describe.each(prCases.map((p) => [p.class, p.id, p] as const))(
  'pull request, %s: %s',
  (_class, id, input) => {
    test(input.what, () => {
      const run = runs.get(id)!
      expectContained(run)
      if (input.expect.outcome === 'error') {
        // setFailed: one ::error:: line with the code, no comment, no report.
        expect(run.code).toBe(1)
        const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
        expect(errors).toHaveLength(1)
        const prefix = `::error::${input.expect.code}: `
        expect(errors[0]!.startsWith(prefix)).toBe(true)
        expect(errors[0]!.slice(prefix.length)).toMatch(input.expect.message)
        expect(run.comments).toEqual([])
        expect(run.report).toBeNull()
        return
      }
      const rules = new Set(run.report!.packages.flatMap((p) => p.findings.map((f) => f.ruleId)))
      for (const rule of input.expect.ruleIds ?? []) expect(rules).toContain(rule)
      expect(run.comments).toHaveLength(1)
    })
  },
)

test('every request to GitHub was one GitHub would accept, with the token', () => {
  gh.assertNoViolations()
  expect(gh.requests.every((r) => r.status !== 401)).toBe(true)
})

test('no resolved URL of a lockfile was fetched', () => {
  expect(canary.requests).toEqual([])
})
