// `npm run bench`: the full review against `npm diff` on real MCP server
// updates, and a pull request that bumps 20 MCP packages at once.
//
// Per pair: `node dist/cli.js compare a b --format json` with a warm
// --cache-dir, and `npm diff --diff=a --diff=b` with npm's warm cache, run
// alternately (the order swapped every round) for --rounds rounds; the median
// wall time of each, their ratio, peak RSS (/usr/bin/time, when installed),
// and the changed lines each shows: the report's additions + deletions, and
// npm diff's `+`/`-` lines. `git diff --no-index -M --shortstat` on the two
// extracted trees is the yardstick for noise (the trees are extracted with
// `tar` for git only; the review itself reads the tarballs in memory).
// The fetch floor (scripts/fetch-floor.mjs, bundled) runs in the same rounds:
// Node, pacote, the package document and both tarballs, nothing else; no
// review can be faster than it.
//
// Usage: npm run bench -- [--rounds 5] [--only sdk,mcp-remote] [--no-pr] [--no-compare]
//        [--pair-seconds 300] [--cli dist/cli.js] [--baseline OTHER/cli.js] [--cache-dir DIR]
//        [--json FILE]
// --baseline runs another build of the CLI in the same rounds (before/after on one machine
// under the same load; build one from a worktree of main with `npm ci && npm run bundle`).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { bundleOptions } from './bundle-options.mjs'

/** Real consecutive (or major) releases; see `npm view <name> versions --json`. */
const PAIRS = [
  // The three of issue 7.
  ['@modelcontextprotocol/sdk', '1.31.0', '1.32.0'],
  ['@modelcontextprotocol/server-everything', '2026.8.18', '2026.8.31'],
  ['mcp-remote', '0.15.0', '0.15.1'], // bundled (tsup); a hashed chunk renamed
  // Large and bundled: 15 MB unpacked, third-party code bundled into 8 MB files.
  ['chrome-devtools-mcp', '1.10.1', '1.11.0'],
  ['@notionhq/notion-mcp-server', '1.9.1', '2.0.0'], // major version
  ['@upstash/context7-mcp', '3.2.5', '4.0.0'], // major version
  ['figma-developer-mcp', '0.12.0', '0.13.2'], // bundled (tsup), hashed chunks
  ['firecrawl-mcp', '3.25.3', '3.26.0'],
]

/** The pull request: the seven pairs above that are not huge, and thirteen more servers. */
const PR_PAIRS = [
  ...PAIRS.filter(([name]) => name !== 'chrome-devtools-mcp'),
  ['@modelcontextprotocol/server-filesystem', '2026.7.10', '2026.8.31'],
  ['@modelcontextprotocol/server-memory', '2026.7.4', '2026.8.31'],
  ['@modelcontextprotocol/server-sequential-thinking', '2026.7.4', '2026.8.31'],
  ['@playwright/mcp', '0.0.82', '0.0.83'],
  ['@wonderwhy-er/desktop-commander', '0.2.51', '0.2.52'],
  ['tavily-mcp', '0.2.21', '0.2.22'],
  ['exa-mcp-server', '3.4.0', '3.4.1'],
  ['@supabase/mcp-server-supabase', '0.12.0', '0.13.0'],
  ['@browsermcp/mcp', '0.1.2', '0.1.3'],
  ['@sentry/mcp-server', '0.37.0', '0.39.0'],
  ['@stripe/mcp', '0.3.1', '0.3.3'],
  ['mcp-server-kubernetes', '4.1.6', '4.1.7'],
  ['@heroku/mcp-server', '1.2.7', '1.2.8'],
]

const TIME = '/usr/bin/time'

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    'no-pr': { type: 'boolean', default: false },
    'no-compare': { type: 'boolean', default: false },
    'pair-seconds': { type: 'string', default: '300' },
    cli: { type: 'string', default: 'dist/cli.js' },
    baseline: { type: 'string' },
    'cache-dir': { type: 'string', default: join(tmpdir(), 'mcp-diff-review-bench-cache') },
    json: { type: 'string' },
  },
})
const ROUNDS = Math.max(1, Number(args.rounds))
const PAIR_MS = Number(args['pair-seconds']) * 1000
const CLI = resolve(args.cli)
/** Another build of the CLI (e.g. of main) run alongside, for a before/after under the same load. */
const BASELINE = args.baseline ? resolve(args.baseline) : null
const CACHE = resolve(args['cache-dir'])
const NODE = process.execPath
const HAS_TIME = existsSync(TIME)

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run \`npm run bundle\` first`)
  const work = await mkdtemp(join(tmpdir(), 'mcp-diff-review-bench-'))
  const results = { machine: machine(), compare: [], pr: null }
  try {
    if (!args['no-compare']) {
      FLOOR = await bundleFloor(work)
      const only = args.only?.split(',')
      const pairs = only ? PAIRS.filter(([n]) => only.some((o) => n.includes(o))) : PAIRS
      for (const pair of pairs) results.compare.push(await benchPair(pair, work))
      console.log(renderCompare(results.compare))
    }
    if (!args['no-pr']) {
      results.pr = await benchPr(PR_PAIRS, work)
      console.log(renderPr(results.pr))
    }
    console.log(`\n${results.machine}`)
    if (args.json) await writeFile(args.json, JSON.stringify(results, null, 2) + '\n')
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------
// compare vs npm diff vs git diff

/** scripts/fetch-floor.mjs, bundled as dist/ is (set by main). */
let FLOOR = ''

async function bundleFloor(work) {
  const outfile = join(work, 'fetch-floor.mjs')
  await build({
    ...bundleOptions,
    entryPoints: [join(import.meta.dirname, 'fetch-floor.mjs')],
    outfile,
    sourcemap: false,
  })
  return outfile
}

async function benchPair([name, from, to], work) {
  const a = `${name}@${from}`
  const b = `${name}@${to}`
  log(`${a} -> ${b}`)
  const dir = await mkdtemp(join(work, 'pair-'))
  // npm pack fills npm's cache (so npm diff runs warm) and gives git its trees.
  const [oldTree, newTree] = [await extract(a, join(dir, 'a')), await extract(b, join(dir, 'b'))]
  const git = gitShortstat(oldTree, newTree)
  const compare = (cli, cache) => () =>
    measure(NODE, [
      cli,
      'compare',
      a,
      b,
      '--format',
      'json',
      '--fail-on',
      'never',
      '--cache-dir',
      cache,
    ])
  const runners = {
    review: compare(CLI, CACHE),
    npmDiff: () => measure('npm', ['diff', `--diff=${a}`, `--diff=${b}`], { cwd: dir }),
    floor: () => measure(NODE, [FLOOR, a, b, CACHE]),
    ...(BASELINE ? { baseline: compare(BASELINE, `${CACHE}-baseline`) } : {}),
  }
  // Warm the review's tarball caches; npm's was warmed by npm pack.
  checkExit(await runners.review(), a)
  if (BASELINE) checkExit(await runners.baseline(), a)
  const runs = await rotate(runners, PAIR_MS)
  const result = {
    pair: `${name} ${from} → ${to}`,
    rounds: runs.review.length,
    review: reviewStats(runs.review, a),
    npmDiff: {
      medianMs: median(runs.npmDiff.map((r) => r.ms)),
      peakRssMb: maxRss(runs.npmDiff),
      lines: countDiffLines(runs.npmDiff[0].stdout),
      bytes: Buffer.byteLength(runs.npmDiff[0].stdout),
    },
    git,
    floor: { medianMs: median(runs.floor.map((r) => floorMs(r, a))) },
  }
  if (BASELINE) result.baseline = reviewStats(runs.baseline, a)
  return result
}

/**
 * --rounds rounds of every runner, the order rotated each round so that none
 * always runs first (or right after another); fewer rounds once a pair has
 * taken `budgetMs` (npm diff of a large bundle takes minutes).
 */
async function rotate(runners, budgetMs = Infinity) {
  const names = Object.keys(runners)
  const runs = Object.fromEntries(names.map((n) => [n, []]))
  const started = Date.now()
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) runs[name].push(await runners[name]())
    if (Date.now() - started > budgetMs) break
  }
  return runs
}

/** Median time, peak RSS and what the report shows, from runs of one CLI. */
function reviewStats(runs, what) {
  for (const r of runs) checkExit(r, what)
  const report = JSON.parse(runs[0].stdout)
  const files = report.packages.flatMap((p) => p.files)
  return {
    medianMs: median(runs.map((r) => r.ms)),
    peakRssMb: maxRss(runs),
    packages: report.packages.length,
    unverified: report.packages.filter((p) => p.status === 'unverified').length,
    lines: files.reduce((n, f) => n + f.additions + f.deletions, 0),
    files: files.length,
    renames: files.filter((f) => f.renamedFrom).length,
    findings: report.packages.reduce((n, p) => n + p.findings.length, 0),
  }
}

async function extract(spec, dir) {
  await mkdir(join(dir, 'tree'), { recursive: true })
  const packed = run('npm', ['pack', spec, '--pack-destination', dir, '--json'])
  const [{ filename }] = JSON.parse(packed)
  const file = join(dir, filename)
  run('tar', ['-xzf', file, '--strip-components=1', '-C', join(dir, 'tree')])
  return { tree: join(dir, 'tree'), tgz: file }
}

function gitShortstat(oldTree, newTree) {
  const started = process.hrtime.bigint()
  const r = spawnSync(
    'git',
    ['diff', '--no-index', '-M', '--shortstat', oldTree.tree, newTree.tree],
    {
      encoding: 'utf8',
    },
  )
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const num = (re) => Number(re.exec(r.stdout)?.[1] ?? 0)
  const insertions = num(/(\d+) insertion/)
  const deletions = num(/(\d+) deletion/)
  return {
    ms,
    files: num(/(\d+) files? changed/),
    insertions,
    deletions,
    lines: insertions + deletions,
  }
}

/** `+`/`-` lines of a unified diff, without the `+++`/`---` file headers. */
function countDiffLines(text) {
  let n = 0
  for (const line of text.split('\n')) {
    if (
      (line[0] === '+' && !line.startsWith('+++ ')) ||
      (line[0] === '-' && !line.startsWith('--- '))
    )
      n++
  }
  return n
}

// ---------------------------------------------------------------------------
// A pull request bumping 20 MCP packages, against a local registry

async function benchPr(pairs, work) {
  log(`pull request: ${pairs.length} packages against a local Verdaccio`)
  const { startRegistry } = await import('../__tests__/helpers/verdaccio.ts')
  const registry = await startRegistry()
  const dir = await mkdtemp(join(work, 'pr-'))
  const prCache = join(dir, 'cache')
  try {
    const published = {}
    for (const [name, ...versions] of pairs) {
      for (const version of versions) {
        const { tree, tgz } = await extract(
          `${name}@${version}`,
          join(dir, 'tgz', `${name}@${version}`),
        )
        const manifest = JSON.parse(await readFile(join(tree, 'package.json'), 'utf8'))
        published[`${name}@${version}`] = await registry.publish(manifest, await readFile(tgz))
      }
    }
    const repo = join(dir, 'repo')
    await mkdir(repo)
    const git = (...a) =>
      run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', ...a], {
        cwd: repo,
      })
    git('init', '-q', '-b', 'main')
    await writeFile(join(repo, 'package-lock.json'), lockfile(pairs, 1, published))
    git('add', '-A')
    git('commit', '-qm', 'base')
    git('checkout', '-qb', 'bump')
    await writeFile(join(repo, 'package-lock.json'), lockfile(pairs, 2, published))
    git('commit', '-qam', `bump ${pairs.length} MCP packages`)
    const pr = (cli, cache) => () =>
      measure(NODE, [
        cli,
        'pr',
        '--repo',
        repo,
        '--base',
        'main',
        '--head',
        'bump',
        '--registry',
        registry.url,
        '--format',
        'json',
        '--fail-on',
        'never',
        '--cache-dir',
        cache,
      ])
    const runners = {
      review: pr(CLI, prCache),
      ...(BASELINE ? { baseline: pr(BASELINE, `${prCache}-baseline`) } : {}),
    }
    for (const run of Object.values(runners)) checkExit(await run(), 'pr') // warm the caches
    const runs = await rotate(runners)
    return {
      rounds: runs.review.length,
      review: reviewStats(runs.review, 'pr'),
      ...(BASELINE ? { baseline: reviewStats(runs.baseline, 'pr') } : {}),
    }
  } finally {
    await registry.stop()
  }
}

function lockfile(pairs, side, published) {
  const packages = { '': { name: 'agent-app', version: '1.0.0', dependencies: {} } }
  for (const pair of pairs) {
    const [name, version] = [pair[0], pair[side]]
    const p = published[`${name}@${version}`]
    packages[''].dependencies[name] = version
    packages[`node_modules/${name}`] = { version, resolved: p.tarball, integrity: p.integrity }
  }
  const lock = { name: 'agent-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }
  return JSON.stringify(lock, null, 2) + '\n'
}

// ---------------------------------------------------------------------------
// Running and measuring

/** Wall time from spawn to exit, and peak RSS from /usr/bin/time when it is there. */
async function measure(cmd, argv, opts = {}) {
  const rssFile = join(
    tmpdir(),
    `mdr-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`,
  )
  const [file, fileArgs] = HAS_TIME
    ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...argv]]
    : [cmd, argv]
  const started = process.hrtime.bigint()
  const { code, stdout, stderr } = await spawnCollect(file, fileArgs, opts)
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  let rssKb = null
  if (HAS_TIME) {
    const text = await readFile(rssFile, 'utf8').catch(() => '')
    rssKb = Number(/(\d+)\s*$/.exec(text)?.[1]) || null
    await rm(rssFile, { force: true })
  }
  return { code, ms, rssKb, stdout, stderr }
}

function spawnCollect(file, argv, opts) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, argv, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] })
    const out = []
    const err = []
    child.stdout.on('data', (c) => out.push(c))
    child.stderr.on('data', (c) => err.push(c))
    child.on('error', reject)
    child.on('close', (code) =>
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    )
  })
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts })
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.stdout
}

function floorMs(r, what) {
  if (r.code !== 0) throw new Error(`the fetch floor of ${what} failed (${r.code}): ${r.stderr}`)
  return r.ms
}

function checkExit(r, what) {
  // Exit code 1 only says the risk reached --fail-on; 2 is an error.
  if (r.code !== 0 && r.code !== 1)
    throw new Error(`review of ${what} failed (${r.code}): ${r.stderr}`)
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

function maxRss(runs) {
  const kbs = runs.map((r) => r.rssKb).filter((x) => x !== null)
  return kbs.length ? Math.round(Math.max(...kbs) / 1024) : null
}

function machine() {
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim()
  const git = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim()
  const cpus = spawnSync('nproc', [], { encoding: 'utf8' }).stdout.trim()
  return `node ${process.version}, npm ${npm}, ${git}, ${cpus} CPUs; ${ROUNDS} rounds; peak RSS ${HAS_TIME ? 'from /usr/bin/time' : 'not measured (install GNU time)'}`
}

function log(text) {
  process.stderr.write(`bench: ${text}\n`)
}

// ---------------------------------------------------------------------------
// Tables

const secs = (ms) => `${(ms / 1000).toFixed(2)} s`
const mb = (x) => (x === null ? 'n/a' : `${x} MB`)

function renderCompare(rows) {
  const header = [
    'pair',
    'review',
    ...(BASELINE ? ['baseline'] : []),
    'npm diff',
    'ratio',
    'fetch floor',
    'floor ratio',
    'RSS review',
    ...(BASELINE ? ['RSS baseline'] : []),
    'RSS npm diff',
    'lines review',
    ...(BASELINE ? ['lines baseline'] : []),
    'lines npm diff',
    'lines git -M',
    'rounds',
  ]
  const body = rows.map((r) => [
    r.pair,
    secs(r.review.medianMs),
    ...(r.baseline ? [secs(r.baseline.medianMs)] : []),
    secs(r.npmDiff.medianMs),
    `${(r.review.medianMs / r.npmDiff.medianMs).toFixed(2)}x`,
    secs(r.floor.medianMs),
    `${(r.floor.medianMs / r.npmDiff.medianMs).toFixed(2)}x`,
    mb(r.review.peakRssMb),
    ...(r.baseline ? [mb(r.baseline.peakRssMb)] : []),
    mb(r.npmDiff.peakRssMb),
    shown(r.review),
    ...(r.baseline ? [shown(r.baseline)] : []),
    `${r.npmDiff.lines} (${(r.npmDiff.bytes / 1024).toFixed(0)} KB)`,
    `${r.git.lines} (${r.git.files} files)`,
    String(r.rounds),
  ])
  return '\n' + table(header, body)
}

function renderPr(r) {
  const header = [
    'scenario',
    'review',
    ...(r.baseline ? ['baseline'] : []),
    'RSS review',
    ...(r.baseline ? ['RSS baseline'] : []),
    'lines review',
    'rounds',
  ]
  const { review } = r
  const scenario = `pr: one lockfile bump of ${review.packages} MCP packages (${review.unverified} unverified), local registry`
  const row = [
    scenario,
    secs(review.medianMs),
    ...(r.baseline ? [secs(r.baseline.medianMs)] : []),
    mb(review.peakRssMb),
    ...(r.baseline ? [mb(r.baseline.peakRssMb)] : []),
    shown(review),
    String(r.rounds),
  ]
  return '\n' + table(header, [row])
}

function shown(stats) {
  const renamed = stats.renames ? `, ${stats.renames} renamed` : ''
  return `${stats.lines} (${stats.files} files${renamed})`
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

await main()
