// The evaluation corpus: malicious and benign updates, each a package in
// `before/` and `after/` and an `expect.json`. Shared by the corpus test and
// `npm run eval`, so both judge a case the same way.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { reviewPackages } from '../../src/review.js'
import type { Finding, Risk } from '../../src/schemas.js'
import { rankOf } from '../../src/score.js'
import { fetchedOf, readDirFiles } from './contents.js'

export type CaseKind = 'malicious' | 'benign'

export interface CaseExpectation {
  /** Malicious: the package's risk is at least this, with a finding of high or above in `file`. */
  minRisk?: Risk
  file?: string
  /** Benign: the package's risk is at most this. */
  maxRisk?: Risk
  /** The real incident (malicious) or the change (benign) the case models. */
  incident?: string
  change?: string
}

export interface CorpusCase {
  kind: CaseKind
  name: string
  dir: string
  expect: CaseExpectation
}

export interface CaseResult {
  case: CorpusCase
  risk: Risk
  findings: Finding[]
  pass: boolean
  /** Why the case failed; empty when it passed. */
  reason: string
}

export function listCorpus(root: string): CorpusCase[] {
  const out: CorpusCase[] = []
  for (const kind of ['malicious', 'benign'] as const) {
    const dir = join(root, kind)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir).sort()) {
      const caseDir = join(dir, name)
      const expect = JSON.parse(
        readFileSync(join(caseDir, 'expect.json'), 'utf8'),
      ) as CaseExpectation
      out.push({ kind, name, dir: caseDir, expect })
    }
  }
  return out
}

export function runCase(c: CorpusCase): CaseResult {
  const before = existsSync(join(c.dir, 'before'))
    ? fetchedOf(c.name, '1.0.0', readDirFiles(join(c.dir, 'before')))
    : null
  const after = fetchedOf(c.name, '1.0.1', readDirFiles(join(c.dir, 'after')))
  const review = reviewPackages(before, after)
  const result = { case: c, risk: review.risk, findings: review.findings }
  return { ...result, ...judge(c, review.risk, review.findings) }
}

function judge(c: CorpusCase, risk: Risk, findings: Finding[]): { pass: boolean; reason: string } {
  const { minRisk, maxRisk, file } = c.expect
  if (minRisk && rankOf(risk) < rankOf(minRisk))
    return { pass: false, reason: `rated ${risk}, expected at least ${minRisk}` }
  if (maxRisk && rankOf(risk) > rankOf(maxRisk))
    return { pass: false, reason: `rated ${risk}, expected at most ${maxRisk}` }
  if (file && !findings.some((f) => f.file === file && rankOf(f.severity) >= rankOf('high')))
    return { pass: false, reason: `no high or critical finding in ${file}` }
  return { pass: true, reason: '' }
}
