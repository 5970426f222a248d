// Findings -> package risk. Rules never score; this is the one place that does.
import { RISKS, type Category, type Finding, type Risk, type Severity } from './schemas.js'

export interface Score {
  risk: Risk
  /** Why the risk is above the highest single finding, one sentence each. */
  reasons: string[]
}

/** Pairs of categories that together mean more than either alone. */
const ESCALATIONS: Array<{ needs: [Category, Category]; minimum: Severity; reason: string }> = [
  {
    needs: ['secrets', 'network'],
    minimum: 'critical',
    reason:
      'It starts reading secrets and gains a new network destination or capability: the shape of exfiltration.',
  },
  {
    needs: ['exec', 'network'],
    minimum: 'critical',
    reason:
      'It starts running programs and gains a new network destination or capability: the shape of a downloader or remote shell.',
  },
  {
    needs: ['install', 'network'],
    minimum: 'critical',
    reason: 'A new install-time script arrives together with new network code.',
  },
]

export function rankOf(risk: Risk): number {
  return RISKS.indexOf(risk)
}

export function maxRisk(risks: Iterable<Risk>): Risk {
  let best: Risk = 'none'
  for (const r of risks) if (rankOf(r) > rankOf(best)) best = r
  return best
}

export function scoreFindings(findings: Finding[]): Score {
  let risk = maxRisk(findings.map((f) => f.severity))
  const reasons: string[] = []
  // Only findings of medium or above combine: a URL in a help text is not a way out.
  const present = new Set(
    findings.filter((f) => rankOf(f.severity) >= rankOf('medium')).map((f) => f.category),
  )
  for (const e of ESCALATIONS) {
    if (!e.needs.every((c) => present.has(c)) || rankOf(risk) >= rankOf(e.minimum)) continue
    risk = e.minimum
    reasons.push(e.reason)
  }
  return { risk, reasons }
}

/** True when `risk` reaches the `failOn` threshold (`never` never fails). */
export function reachesThreshold(risk: Risk, failOn: Risk | 'never'): boolean {
  if (failOn === 'never') return false
  if (failOn === 'none') return true
  return rankOf(risk) >= rankOf(failOn)
}
