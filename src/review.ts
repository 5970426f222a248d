// The pipeline in one function: fetch -> pair files -> analyse -> score -> report.
// Its I/O (fetching) arrives as an injected function, so it runs on literal data in tests.
import { findNewFindings, buildVersionView, type FactsCache } from './analysis/index.js'
import { loadRules } from './analysis/rules/registry.js'
import type { Rule } from './analysis/rules/types.js'
import { diffPackages } from './diff/files.js'
import { focusHunks } from './diff/focus.js'
import type { FetchedPackage } from './fetch/types.js'
import { SEVERITIES, type Finding, type PackageReview, type Report } from './schemas.js'
import { maxRisk, scoreFindings } from './score.js'
import { VERSION } from './version.js'

export type FetchPackage = (spec: string) => Promise<FetchedPackage>

export interface CompareRequest {
  /** Null: the package is new, reviewed against nothing. */
  from: string | null
  to: string
}

export async function reviewCompare(
  request: CompareRequest,
  fetchPackage: FetchPackage,
  rules: Rule[] = loadRules(),
): Promise<Report> {
  const [before, after] = await Promise.all([
    request.from === null ? Promise.resolve(null) : fetchPackage(request.from),
    fetchPackage(request.to),
  ])
  return buildReport([reviewPackages(before, after, rules)])
}

/** Pure: two fetched versions in, one package review out. */
export function reviewPackages(
  before: FetchedPackage | null,
  after: FetchedPackage,
  rules: Rule[] = loadRules(),
): PackageReview {
  const cache: FactsCache = new Map()
  const oldView = before ? buildVersionView(before.contents, cache) : null
  const newView = buildVersionView(after.contents, cache)
  const findings = sortFindings(findNewFindings(rules, oldView, newView))
  const diffs = diffPackages(before?.contents.files ?? null, after.contents.files)
  const score = scoreFindings(findings)
  const incomplete = after.contents.incomplete ?? before?.contents.incomplete ?? null
  return {
    name: after.name,
    from: before?.version ?? null,
    to: after.version,
    risk: score.risk,
    status: incomplete ? 'unverified' : 'reviewed',
    ...(incomplete
      ? { error: { code: 'ETOOLARGE', message: `Not fully reviewed: ${incomplete}` } }
      : {}),
    riskReasons: score.reasons,
    findings,
    files: diffs.map((d) => ({
      path: d.path,
      status: d.status,
      binary: d.binary,
      additions: d.additions,
      deletions: d.deletions,
    })),
    hunks: focusHunks(diffs, findings),
  }
}

export function buildReport(packages: PackageReview[]): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'mcp-diff-review', version: VERSION },
    risk: maxRisk(packages.map((p) => p.risk)),
    packages,
  }
}

/** Most severe first, then by place. */
function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0),
  )
}
