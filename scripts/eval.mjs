// npm run eval: runs the corpus (__tests__/fixtures/corpus) through the review
// and prints a table: case, expected, actual risk, findings, pass or fail.
// npm run eval -- --real: also reviews real updates of popular MCP servers from
// the npm registry with the bundled CLI (run `npm run bundle` first), which
// must all be rated medium or below.
// Options: --verbose lists every finding; --real-only skips the corpus.
import { importTs } from './import-ts.mjs'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Consecutive releases of popular MCP servers: benign updates, as far as anyone
 * knows. For each server its latest update, and an earlier one with a large
 * code change (rewrites, new tools, new bundles), where false positives hide.
 */
const REAL_UPDATES = [
  ['@modelcontextprotocol/server-filesystem', '2026.7.10', '2026.8.31'],
  ['@modelcontextprotocol/server-filesystem', '2025.8.21', '2025.11.25'],
  ['@modelcontextprotocol/server-memory', '2026.7.4', '2026.8.31'],
  ['@modelcontextprotocol/server-memory', '2025.11.25', '2026.1.26'],
  ['@modelcontextprotocol/server-everything', '2026.8.18', '2026.8.31'],
  ['@modelcontextprotocol/server-everything', '2025.12.18', '2026.1.14'],
  ['@playwright/mcp', '0.0.82', '0.0.83'],
  ['@playwright/mcp', '0.0.64', '0.0.68'],
  ['mcp-remote', '0.15.0', '0.15.1'],
  ['mcp-remote', '0.14.5', '0.15.0'],
  ['@upstash/context7-mcp', '4.1.0', '4.1.1'],
  ['@upstash/context7-mcp', '2.3.0', '3.0.0'],
  ['firecrawl-mcp', '3.25.3', '3.26.0'],
  ['firecrawl-mcp', '3.11.0', '3.15.0'],
  ['@notionhq/notion-mcp-server', '2.5.1', '2.5.2'],
  ['@notionhq/notion-mcp-server', '1.9.1', '2.0.0'],
  ['figma-developer-mcp', '0.12.0', '0.13.2'],
  ['figma-developer-mcp', '0.6.6', '0.7.0'],
  ['@supabase/mcp-server-supabase', '0.12.0', '0.13.0'],
  ['@supabase/mcp-server-supabase', '0.5.10', '0.6.1'],
  ['@wonderwhy-er/desktop-commander', '0.2.34', '0.2.38'],
  ['exa-mcp-server', '2.1.1', '3.0.5'],
  ['tavily-mcp', '0.2.10', '0.2.12'],
  // Once rated critical: a DevTools protocol method name (`Target.getTargets`) read as a host.
  ['chrome-devtools-mcp', '1.10.1', '1.11.0'],
]
const REAL_MAX_RISK = 'medium'
const RISKS = ['none', 'low', 'medium', 'high', 'critical']

const args = new Set(process.argv.slice(2))
const verbose = args.has('--verbose')
const root = join(import.meta.dirname, '..')
let failed = 0

if (!args.has('--real-only')) {
  const { listCorpus, runCase } = await importTs(
    "export { listCorpus, runCase } from './__tests__/helpers/corpus.ts'",
    root,
  )
  const rows = []
  for (const c of listCorpus(join(root, '__tests__', 'fixtures', 'corpus'))) {
    const r = runCase(c)
    if (!r.pass) failed++
    const expected = c.expect.minRisk ? `>= ${c.expect.minRisk}` : `<= ${c.expect.maxRisk}`
    rows.push([
      c.kind,
      c.name,
      expected,
      r.risk,
      String(r.findings.length),
      verdict(r.pass, r.reason),
    ])
    if (verbose) rows.push(...findingRows(r.findings))
  }
  printTable(['kind', 'case', 'expected', 'actual', 'findings', 'result'], rows)
}

if (args.has('--real') || args.has('--real-only')) {
  console.log('')
  const cli = join(root, 'dist', 'cli.js')
  if (!existsSync(cli)) {
    console.error('dist/cli.js is missing: run `npm run bundle` first.')
    process.exit(2)
  }
  if (statSync(cli).mtimeMs < newestSource(join(root, 'src')))
    console.error(
      'warning: dist/cli.js is older than src/; run `npm run bundle` for current rules.\n',
    )
  // A private copy: a concurrent `npm run bundle` rewrites dist/ while it
  // rebuilds. The analysis worker goes with it: without it, the CLI analyses
  // in its own thread, with no time budget per file, unlike a user's run.
  const copy = mkdtempSync(join(tmpdir(), 'mcp-diff-review-eval-cli-'))
  copyFileSync(cli, join(copy, 'cli.js'))
  copyFileSync(join(root, 'dist', 'analysis-worker.js'), join(copy, 'analysis-worker.js'))
  const rows = []
  for (const [name, from, to] of REAL_UPDATES) {
    const r = compareReal(join(copy, 'cli.js'), `${name}@${from}`, `${name}@${to}`)
    const pass = r.error === null && RISKS.indexOf(r.risk) <= RISKS.indexOf(REAL_MAX_RISK)
    if (!pass) failed++
    const result = r.error ?? verdict(pass, `rated ${r.risk}`)
    rows.push([
      'real',
      `${name} ${from} -> ${to}`,
      `<= ${REAL_MAX_RISK}`,
      r.risk,
      String(r.findings.length),
      result,
    ])
    if (verbose) rows.push(...findingRows(r.findings))
  }
  rmSync(copy, { recursive: true, force: true })
  printTable(['kind', 'update', 'expected', 'actual', 'findings', 'result'], rows)
}

console.log(failed ? `\n${failed} case(s) failed.` : '\nAll cases passed.')
process.exit(failed ? 1 : 0)

/** The bundled CLI, exactly as a user runs it, on two registry versions. */
function compareReal(cli, from, to) {
  const work = mkdtempSync(join(tmpdir(), 'mcp-diff-review-eval-'))
  try {
    const run = spawnSync(
      process.execPath,
      [cli, 'compare', from, to, '--format', 'json', '--fail-on', 'never'],
      { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
    )
    if (run.status !== 0)
      return { risk: 'none', findings: [], error: `error: ${firstLine(run.stderr)}` }
    const report = JSON.parse(run.stdout)
    const pkg = report.packages[0]
    if (pkg.status !== 'reviewed')
      return { risk: pkg.risk, findings: pkg.findings, error: `unverified: ${pkg.error?.message}` }
    return { risk: pkg.risk, findings: pkg.findings, error: null }
  } catch (err) {
    return { risk: 'none', findings: [], error: `error: ${err.message}` }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function findingRows(findings) {
  return findings.map((f) => [
    '',
    `  ${f.severity} ${f.ruleId}`,
    `${f.file}:${f.line ?? '-'}`,
    '',
    '',
    clip(f.message, 90),
  ])
}

function verdict(pass, reason) {
  return pass ? 'pass' : `FAIL: ${reason}`
}

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  console.log(line(header))
  console.log(line(widths.map((w) => '-'.repeat(w))))
  for (const r of rows) console.log(line(r))
}

function newestSource(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

function firstLine(text) {
  return clip((text ?? '').trim().split('\n')[0] ?? '', 120)
}

function clip(s, n) {
  const flat = String(s).replace(/\s+/g, ' ')
  return flat.length > n ? flat.slice(0, n - 1) + '…' : flat
}
