import { maxRisk, reachesThreshold, scoreFindings } from '../src/score.js'
import type { Finding } from '../src/schemas.js'

const finding = (category: Finding['category'], severity: Finding['severity']): Finding => ({
  ruleId: `test-${category}`,
  category,
  severity,
  file: 'index.js',
  line: 1,
  message: 'm',
  evidence: 'e',
})

test('no findings is no risk', () => {
  expect(scoreFindings([])).toEqual({ risk: 'none', reasons: [] })
})

test('the risk is the highest finding', () => {
  expect(scoreFindings([finding('network', 'low'), finding('exec', 'high')]).risk).toBe('high')
})

test('secrets together with new network code is critical, with the reason given', () => {
  const score = scoreFindings([finding('secrets', 'high'), finding('network', 'medium')])
  expect(score.risk).toBe('critical')
  expect(score.reasons).toHaveLength(1)
  expect(score.reasons[0]).toMatch(/exfiltration/)
})

test('a low network finding (a URL in a message) does not escalate', () => {
  expect(scoreFindings([finding('secrets', 'high'), finding('network', 'low')])).toEqual({
    risk: 'high',
    reasons: [],
  })
})

test('thresholds', () => {
  expect(reachesThreshold('high', 'high')).toBe(true)
  expect(reachesThreshold('medium', 'high')).toBe(false)
  expect(reachesThreshold('critical', 'never')).toBe(false)
  expect(reachesThreshold('none', 'none')).toBe(true)
  expect(reachesThreshold('none', 'low')).toBe(false)
  expect(maxRisk(['low', 'critical', 'none'])).toBe('critical')
})
