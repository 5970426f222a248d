// Every rule runs over its fixtures: `// ruleid: <id>` above each line that must
// be flagged, `// ok: <id>` above a tricky line that must not. Each rule has a
// `positive` and a `negative` case, each a package in `before/` and `after/`;
// `expected.json` lists findings in files that cannot carry comments, and
// `archive-issues.json` stands for tar entries the fetch stage refused.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadRules } from '../../src/analysis/rules/registry.js'
import { reviewPackages } from '../../src/review.js'
import { fetchedOf, readDirFiles } from '../helpers/contents.js'

const FIXTURES = join(process.cwd(), '__tests__/fixtures/rules')
const rules = loadRules()

function annotated(files: Record<string, string>, ruleId: string): Set<string> {
  const expected = new Set<string>()
  for (const [path, text] of Object.entries(files)) {
    if (path === 'expected.json') continue
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim().startsWith(`// ruleid: ${ruleId}`)) expected.add(`${path}:${i + 2}`)
    })
  }
  const extra = files['expected.json']
  if (extra) for (const e of JSON.parse(extra) as string[]) expected.add(e)
  return expected
}

function flagged(caseDir: string, ruleId: string): { expected: Set<string>; actual: Set<string> } {
  const before = existsSync(join(caseDir, 'before')) ? readDirFiles(join(caseDir, 'before')) : null
  const after = readDirFiles(join(caseDir, 'after'))
  const { ['expected.json']: expectedJson, ...afterFiles } = after
  const newVersion = fetchedOf('fixture', '1.0.1', afterFiles)
  const issuesFile = join(caseDir, 'archive-issues.json')
  if (existsSync(issuesFile))
    newVersion.contents.archiveIssues = JSON.parse(readFileSync(issuesFile, 'utf8'))
  const review = reviewPackages(before ? fetchedOf('fixture', '1.0.0', before) : null, newVersion)
  const actual = new Set(
    review.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file}:${f.line ?? '-'}`),
  )
  return {
    expected: annotated(
      { ...afterFiles, ...(expectedJson ? { 'expected.json': expectedJson } : {}) },
      ruleId,
    ),
    actual,
  }
}

describe.each(rules.map((r) => r.meta.id))('rule %s', (ruleId) => {
  test('has a positive and a negative fixture', () => {
    expect(existsSync(join(FIXTURES, ruleId, 'positive', 'after'))).toBe(true)
    expect(existsSync(join(FIXTURES, ruleId, 'negative', 'after'))).toBe(true)
  })

  test('flags exactly the annotated lines of the positive fixture', () => {
    const { expected, actual } = flagged(join(FIXTURES, ruleId, 'positive'), ruleId)
    expect(expected.size).toBeGreaterThan(0)
    expect([...actual].sort()).toEqual([...expected].sort())
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
