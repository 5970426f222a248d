// The evaluation corpus (`npm run eval` prints the same as a table): every
// malicious update is rated at least high with a finding at the file the
// attack is in, and every benign update at most medium.
import { join } from 'node:path'
import { listCorpus, runCase } from '../helpers/corpus.js'

const cases = listCorpus(join(process.cwd(), '__tests__/fixtures/corpus'))
const malicious = cases.filter((c) => c.kind === 'malicious')
const benign = cases.filter((c) => c.kind === 'benign')

test('the corpus has at least 15 malicious and 10 benign updates', () => {
  expect(malicious.length).toBeGreaterThanOrEqual(15)
  expect(benign.length).toBeGreaterThanOrEqual(10)
})

describe.each(malicious.map((c) => [c.name, c] as const))('malicious update %s', (_name, c) => {
  test(`is rated ${c.expect.minRisk} or above, with a finding in ${c.expect.file}`, () => {
    const result = runCase(c)
    const summary = result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line}`)
    expect({ reason: result.reason, findings: summary }).toEqual({ reason: '', findings: summary })
  })
})

describe.each(benign.map((c) => [c.name, c] as const))('benign update %s', (_name, c) => {
  test(`is rated ${c.expect.maxRisk} or below`, () => {
    const result = runCase(c)
    const summary = result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line}`)
    expect({ reason: result.reason, findings: summary }).toEqual({ reason: '', findings: summary })
  })
})
