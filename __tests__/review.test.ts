// The pipeline on our fixture packages: tarballs packed from __tests__/fixtures,
// read by the real extractor, fetched through an injected function.
import { join } from 'node:path'
import { readTarball } from '../src/fetch/untar.js'
import type { FetchedPackage } from '../src/fetch/types.js'
import { MAX_FACTS_PER_KIND } from '../src/analysis/facts.js'
import { inThreadAnalyser, type FactsAnalyser } from '../src/analysis/pool.js'
import { reviewCompare, reviewPackages, type FetchPackage } from '../src/review.js'
import { ReportSchema } from '../src/schemas.js'
import { fetchedOf } from './helpers/contents.js'
import { packDir } from './helpers/pack.js'

const POSTBOX = join(process.cwd(), '__tests__/fixtures/packages/postbox-mcp')

async function fixtureFetcher(spec: string): Promise<FetchedPackage> {
  const version = spec.split('@').pop()!
  const contents = readTarball(await packDir(join(POSTBOX, version)))
  return {
    spec,
    name: 'postbox-mcp',
    version,
    resolved: `fixture:${version}`,
    integrity: 'sha512-fixture',
    contents,
  }
}

test('flags the constant Bcc added to a Postmark message as critical, at its file and line', async () => {
  const report = await reviewCompare(
    { from: 'postbox-mcp@1.0.0', to: 'postbox-mcp@1.0.1' },
    fixtureFetcher,
  )
  expect(ReportSchema.parse(report)).toEqual(report)
  expect(report.risk).toBe('critical')
  const [pkg] = report.packages
  expect(pkg).toMatchObject({ name: 'postbox-mcp', from: '1.0.0', to: '1.0.1', status: 'reviewed' })
  const critical = pkg!.findings.filter((f) => f.severity === 'critical')
  expect(critical).toEqual([
    expect.objectContaining({
      ruleId: 'threat-email-hardcoded-recipient',
      category: 'email',
      file: 'index.js',
      line: 21,
      evidence: "Bcc: 'copies@postbox-backup.example'",
    }),
  ])
  // The hunk shown is the one with the added line.
  expect(pkg!.hunks[0]!.lines).toContainEqual({
    kind: 'add',
    line: 21,
    text: "      Bcc: 'copies@postbox-backup.example',",
  })
})

test('rates the benign update (a new tool on the same API) below high', async () => {
  const report = await reviewCompare(
    { from: 'postbox-mcp@1.0.0', to: 'postbox-mcp@1.1.0' },
    fixtureFetcher,
  )
  expect(['none', 'low', 'medium']).toContain(report.risk)
  expect(report.packages[0]!.findings.filter((f) => f.category === 'email')).toEqual([])
  expect(report.packages[0]!.files.map((f) => f.path).sort()).toEqual([
    'README.md',
    'index.js',
    'package.json',
  ])
})

test('the first version to arrive is analysed while the other still downloads', async () => {
  const analysed: string[] = []
  let firstAnalysis!: () => void
  const started = new Promise<void>((resolve) => (firstAnalysis = resolve))
  const inThread = inThreadAnalyser()
  const analyser: FactsAnalyser = {
    analyse(path, bytes) {
      analysed.push(`${path} ${Buffer.from(bytes).toString('base64')}`)
      firstAnalysis()
      return inThread.analyse(path, bytes)
    },
    close: () => Promise.resolve(),
  }
  const fetcher: FetchPackage = async (spec, { onContents } = {}) => {
    const pkg = await fixtureFetcher(spec)
    if (pkg.version === '1.0.1') {
      // The new version "downloads" until the old one's files are being analysed.
      const timeout = new Promise((_, reject) => {
        setTimeout(() => reject(new Error('the analysis waited for both versions')), 2000).unref()
      })
      await Promise.race([started, timeout])
    }
    onContents?.(pkg.contents)
    return pkg
  }
  const report = await reviewCompare(
    { from: 'postbox-mcp@1.0.0', to: 'postbox-mcp@1.0.1' },
    fetcher,
    { analyser },
  )
  expect(report.risk).toBe('critical')
  // Each distinct file once, though both the hook and the review asked:
  // index.js of each version, the two differ.
  expect(analysed).toEqual([...new Set(analysed)])
  expect(analysed.filter((a) => a.startsWith('index.js ')).length).toBe(2)
})

test('a new package is reviewed against nothing', () => {
  const review = reviewPackages(
    null,
    fetchedOf('fresh-mcp', '0.1.0', { 'index.js': "require('child_process').exec('id')\n" }),
  )
  expect(review.from).toBeNull()
  expect(review.findings.map((f) => f.ruleId)).toEqual([
    'cap-exec-child-process',
    'cap-exec-new-command',
  ])
  expect(review.files).toEqual([
    { path: 'index.js', status: 'added', binary: false, additions: 1, deletions: 0 },
  ])
})

test('a package cut short by a limit is unverified, and its findings are still reported', () => {
  const after = fetchedOf('big-mcp', '2.0.0', { 'index.js': "fetch('https://45.61.12.9/x')\n" })
  after.contents.incomplete = 'more than 20000 files (limit maxFiles)'
  const review = reviewPackages(fetchedOf('big-mcp', '1.0.0', { 'index.js': '' }), after)
  expect(review.status).toBe('unverified')
  expect(review.error).toEqual({
    code: 'ETOOLARGE',
    message: 'Not fully reviewed: more than 20000 files (limit maxFiles)',
  })
  expect(review.findings.map((f) => f.ruleId)).toContain('threat-network-suspicious-host')
})

test('the same new thing in many places is one finding that says how many', () => {
  const review = reviewPackages(
    fetchedOf('p', '1.0.0', { 'a.js': '' }),
    fetchedOf('p', '1.0.1', {
      'a.js': "require('child_process')\n",
      'b.js': "require('child_process')\n",
      'c.js': "require('node:child_process')\n",
    }),
  )
  expect(review.findings).toHaveLength(1)
  expect(review.findings[0]!.message).toMatch(/\(and 2 more places\)$/)
})

test('a file whose analysis did not finish leaves the package unverified (EANALYSIS), findings kept', () => {
  const padding = Array.from({ length: MAX_FACTS_PER_KIND + 1 }, (_, i) => `f('s${i}')`).join('\n')
  const after = fetchedOf('big-mcp', '2.0.0', {
    'index.js': "fetch('https://45.61.12.9/x')\n",
    'dist/strings.js': padding,
  })
  const review = reviewPackages(fetchedOf('big-mcp', '1.0.0', { 'index.js': '' }), after)
  expect(review.status).toBe('unverified')
  expect(review.error).toEqual({
    code: 'EANALYSIS',
    message: `Not fully reviewed: dist/strings.js: it holds more than ${MAX_FACTS_PER_KIND} distinct strings; the rest were not compared`,
  })
  expect(review.findings.map((f) => f.ruleId)).toContain('threat-network-suspicious-host')
})
