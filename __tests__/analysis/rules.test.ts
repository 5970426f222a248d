// Every rule runs over its fixtures: `// ruleid: <id>` above each line that must
// be flagged, `// ok: <id>` above a tricky line that must not. Each rule has a
// `positive` and a `negative` case, each a package in `before/` and `after/`;
// `expected.json` lists findings in files that cannot carry comments
// (`package.json:-` for a finding tied to no line), `archive-issues.json`
// stands for tar entries the fetch stage refused, and `metadata.json`
// (`{ "before": {...}, "after": {...} }`) for what the registry says of each
// version: fields of VersionMetadata over the defaults in metadataOf.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildVersionView, findNewFindings } from '../../src/analysis/index.js'
import { loadRules } from '../../src/analysis/rules/registry.js'
import type { ArchiveIssue, FetchedPackage, VersionMetadata } from '../../src/fetch/types.js'
import { reviewPackages } from '../../src/review.js'
import type { Finding } from '../../src/schemas.js'
import { fetchedOf, readDirFiles } from '../helpers/contents.js'
import { versionMetadata } from '../helpers/metadata.js'

const FIXTURES = join(process.cwd(), '__tests__/fixtures/rules')
const rules = loadRules()
const ruleIds = new Set(rules.map((r) => r.meta.id))

interface Annotations {
  /** `file:line` that must be flagged. */
  expected: Set<string>
  /** `file:line` marked `// ok: <id>`: tricky, and must not be flagged. */
  ok: Set<string>
}

function annotated(files: Record<string, string>, ruleId: string): Annotations {
  const expected = new Set<string>()
  const ok = new Set<string>()
  for (const [path, text] of Object.entries(files)) {
    if (path === 'expected.json') continue
    text.split(/\r?\n/).forEach((line, i) => {
      const mark = /^\/\/ (ruleid|ok): (\S+)/.exec(line.trim())
      if (!mark) return
      if (!ruleIds.has(mark[2]!)) throw new Error(`${path}:${i + 1}: no rule ${mark[2]}`)
      if (mark[2] !== ruleId) return
      ;(mark[1] === 'ok' ? ok : expected).add(`${path}:${i + 2}`)
    })
  }
  const extra = files['expected.json']
  if (extra) for (const e of JSON.parse(extra) as string[]) expected.add(e)
  return { expected, ok }
}

/** archive-issues.json: the new version's refused entries, or `{ before, after }`. */
function archiveIssuesOf(caseDir: string): { before: ArchiveIssue[]; after: ArchiveIssue[] } {
  const file = join(caseDir, 'archive-issues.json')
  if (!existsSync(file)) return { before: [], after: [] }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as
    ArchiveIssue[] | { before: ArchiveIssue[]; after: ArchiveIssue[] }
  return Array.isArray(parsed) ? { before: [], after: parsed } : parsed
}

function flagged(caseDir: string, ruleId: string): Annotations & { actual: Set<string> } {
  const before = existsSync(join(caseDir, 'before')) ? readDirFiles(join(caseDir, 'before')) : null
  const after = readDirFiles(join(caseDir, 'after'))
  const { ['expected.json']: expectedJson, ...afterFiles } = after
  const issues = archiveIssuesOf(caseDir)
  const newVersion = fetchedOf('fixture', '1.0.1', afterFiles)
  newVersion.contents.archiveIssues = issues.after
  const oldVersion = before ? fetchedOf('fixture', '1.0.0', before) : null
  if (oldVersion) oldVersion.contents.archiveIssues = issues.before
  const metadataFile = join(caseDir, 'metadata.json')
  const findings = existsSync(metadataFile)
    ? withMetadata(oldVersion, newVersion, JSON.parse(readFileSync(metadataFile, 'utf8')))
    : reviewPackages(oldVersion, newVersion).findings
  const actual = new Set(
    findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file}:${f.line ?? '-'}`),
  )
  return {
    ...annotated(
      { ...afterFiles, ...(expectedJson ? { 'expected.json': expectedJson } : {}) },
      ruleId,
    ),
    actual,
  }
}

/** The engine over both versions with their registry metadata. */
function withMetadata(
  before: FetchedPackage | null,
  after: FetchedPackage,
  metadata: { before?: Partial<VersionMetadata>; after?: Partial<VersionMetadata> },
): Finding[] {
  const oldView = before
    ? buildVersionView(before.contents, new Map(), metadataOf(before.version, metadata.before))
    : null
  const newView = buildVersionView(
    after.contents,
    new Map(),
    metadataOf(after.version, metadata.after),
  )
  return findNewFindings(rules, oldView, newView)
}

function metadataOf(
  version: string,
  fields: Partial<VersionMetadata> & { _comment?: string } = {},
): VersionMetadata {
  const { _comment, ...rest } = fields
  void _comment
  return versionMetadata(version, { name: 'fixture', ...rest })
}

describe.each(rules.map((r) => r.meta.id))('rule %s', (ruleId) => {
  test('has a positive and a negative fixture', () => {
    expect(existsSync(join(FIXTURES, ruleId, 'positive', 'after'))).toBe(true)
    expect(existsSync(join(FIXTURES, ruleId, 'negative', 'after'))).toBe(true)
  })

  test('flags exactly the annotated lines of the positive fixture', () => {
    const { expected, ok, actual } = flagged(join(FIXTURES, ruleId, 'positive'), ruleId)
    expect(expected.size).toBeGreaterThan(0)
    expect([...actual].sort()).toEqual([...expected].sort())
    expect([...actual].filter((at) => ok.has(at))).toEqual([])
  })

  test('stays quiet on the negative fixture', () => {
    const { expected, actual } = flagged(join(FIXTURES, ruleId, 'negative'), ruleId)
    expect([...expected]).toEqual([])
    expect([...actual]).toEqual([])
  })
})

test('every fixture directory belongs to a rule', () => {
  const ids = new Set(rules.map((r) => r.meta.id))
  for (const dir of readdirSync(FIXTURES)) expect(ids.has(dir) ? dir : `unknown: ${dir}`).toBe(dir)
})

test('rule ids match their file names', () => {
  for (const rule of rules) {
    const path = join(process.cwd(), 'src/analysis/rules', rule.meta.category, `${rule.meta.id}.ts`)
    expect(existsSync(path) ? rule.meta.id : `missing ${path}`).toBe(rule.meta.id)
    expect(readFileSync(path, 'utf8')).toContain(`id: '${rule.meta.id}'`)
  }
})
