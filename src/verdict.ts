// Whether a run passes, and one sentence saying why: the same for CLI and action.
import type { FailOn, Report } from './schemas.js'
import { reachesThreshold } from './score.js'

export interface Verdict {
  fail: boolean
  summary: string
}

export function verdictOf(
  report: Report,
  config: { failOn: FailOn; failOnUnverified: boolean },
): Verdict {
  const unverified = report.packages.filter((p) => p.status === 'unverified')
  const atRisk = reachesThreshold(report.risk, config.failOn)
  const failUnverified = config.failOnUnverified && unverified.length > 0
  const parts = [`risk ${report.risk} (fail-on: ${config.failOn})`]
  if (unverified.length) {
    parts.push(
      `${unverified.length} package${unverified.length > 1 ? 's' : ''} not fully verified` +
        (config.failOnUnverified ? '' : ' (allowed)'),
    )
  }
  const fail = atRisk || failUnverified
  return { fail, summary: `${fail ? 'FAIL' : 'PASS'}: ${parts.join('; ')}.` }
}
