// The pipeline in one function: fetch -> pair files -> analyse -> score -> report.
// Its I/O (fetching) arrives as an injected function, so it runs on literal data in tests.
import {
  buildVersionView,
  collectAllFacts,
  findNewFindings,
  incompleteAnalysis,
  startFacts,
  type FactsCache,
  type StartedFacts,
} from './analysis/index.js'
import { createAnalyser, type AnalyserOptions, type FactsAnalyser } from './analysis/pool.js'
import { loadRules } from './analysis/rules/registry.js'
import type { Rule } from './analysis/rules/types.js'
import { diffPackages, summarizeFiles, type FileDiff } from './diff/files.js'
import { focusHunks } from './diff/focus.js'
import type { FetchedPackage, FetchOptions, PackageContents, ReviewSide } from './fetch/types.js'
import { isReviewError } from './errors.js'
import { fingerprintOf } from './policy.js'
import {
  findChanges,
  selectChanges,
  type ChangeSource,
  type FetchManifest,
  type SelectedChange,
} from './scope/index.js'
import type { ScopeOptions } from './scope/relevance.js'
import type { ServerPin } from './scope/mcp-configs.js'
import { findForeignResolved } from './scope/resolved.js'
import { registrySpec } from './scope/specs.js'
import { unpinnedFinding } from './scope/unpinned.js'
import type { InstalledPackage } from './scope/types.js'
import { SEVERITIES, type Finding, type PackageReview, type Report } from './schemas.js'
import { mapLimit } from './util/concurrency.js'
import { maxRisk, scoreFindings } from './score.js'
import { VERSION } from './version.js'

/** Fetches, verifies and reads a package. */
export type FetchPackage = (spec: string, request?: FetchRequest) => Promise<FetchedPackage>

export interface FetchRequest {
  /** What a lockfile recorded. */
  integrity?: string
  /** Gets the verified files as soon as they are read. */
  onContents?: ContentsHook
  /** The review's other version and this one's side. */
  pairedWith?: FetchOptions['pairedWith']
}

export interface CompareRequest {
  /** Null: the package is new, reviewed against nothing. */
  from: string | null
  to: string
}

export interface ReviewOptions {
  rules?: Rule[]
  /** Worker threads and the time budget of each file. */
  analysis?: AnalyserOptions
  /** An analyser of the caller's (tests); default: one made from `analysis`, closed at the end. */
  analyser?: FactsAnalyser
}

export async function reviewCompare(
  request: CompareRequest,
  fetchPackage: FetchPackage,
  options: ReviewOptions = {},
): Promise<Report> {
  const rules = options.rules ?? loadRules()
  // The workers start while the packages download.
  return withAnalyser(options, async (analyser) => {
    const { from, to } = request
    const fetchOf = (spec: string, other: string | null, side: ReviewSide) => {
      const pairedWith = other === null ? {} : { pairedWith: { spec: other, side } }
      return (onContents: ContentsHook) => fetchPackage(spec, { onContents, ...pairedWith })
    }
    const review = await fetchAndAnalyse(
      from === null ? null : fetchOf(from, to, 'from'),
      fetchOf(to, from, 'to'),
      rules,
      analyser,
    )
    return buildReport([review])
  })
}

async function withAnalyser<T>(
  options: ReviewOptions,
  fn: (analyser: FactsAnalyser) => Promise<T>,
): Promise<T> {
  if (options.analyser) return fn(options.analyser)
  const analyser = createAnalyser(options.analysis)
  try {
    return await fn(analyser)
  } finally {
    await analyser.close()
  }
}

const REVIEW_CONCURRENCY = 4

/** Where a pull request's packages come from: the fetch session's functions and registries. */
export interface PackageSource {
  fetchPackage: FetchPackage
  fetchManifest: FetchManifest
  /** The registries packages may come from (default, scoped): others in `resolved` are a finding. */
  registries: string[]
}

/**
 * Pull-request mode from the repository's two sides: the changed lockfiles
 * and MCP configs, the MCP-related changes among them, and their review.
 */
export async function reviewPullRequest(
  repository: ChangeSource,
  scope: ScopeOptions,
  packages: PackageSource,
  options: ReviewOptions = {},
): Promise<Report> {
  const { changes, unpinned } = await findChanges(repository)
  const selected = await selectChanges(changes, scope, packages.fetchManifest)
  return reviewChanges(selected, unpinned, packages.fetchPackage, packages.registries, options)
}

/**
 * Pull-request mode: every selected change fetched and reviewed, a few at a
 * time. A package that cannot be fetched or verified is reported as
 * unverified, never skipped.
 */
export async function reviewChanges(
  selected: SelectedChange[],
  unpinned: ServerPin[],
  fetchPackage: FetchPackage,
  /** The registries packages may come from (default, scoped): others in `resolved` are a finding. */
  registries: string[],
  options: ReviewOptions = {},
): Promise<Report> {
  const rules = options.rules ?? loadRules()
  // Several packages: enough work for every worker from the start.
  const many = { ...options, analysis: { ...options.analysis, startAll: selected.length > 1 } }
  const reviews = await withAnalyser(many, (analyser) =>
    mapLimit(selected, REVIEW_CONCURRENCY, async ({ change, reasons }) => {
      const after = change.after!
      const review = await reviewOne(change.before, after, fetchPackage, rules, analyser)
      return withRepositoryFindings(review, change.source, after, unpinned, registries, reasons)
    }),
  )
  return buildReport(reviews)
}

/** Findings about the pull request's own files: unpinned servers, foreign `resolved` URLs. */
function withRepositoryFindings(
  review: PackageReview,
  file: string,
  after: InstalledPackage,
  unpinned: ServerPin[],
  registries: string[],
  reasons: SelectedChange['reasons'],
): PackageReview {
  const pins = unpinned.filter((p) => `${p.config}#${p.server}` === after.location)
  const foreign = findForeignResolved(after, file, registries)
  const repoFindings = [...pins.map(unpinnedFinding), ...(foreign ? [foreign] : [])].map((f) => ({
    ...f,
    fingerprint: fingerprintOf(after.name, f),
  }))
  const findings = sortFindings([...repoFindings, ...review.findings])
  const score = scoreFindings(findings)
  const source = { file, line: after.line }
  return { ...review, findings, risk: score.risk, riskReasons: score.reasons, source, reasons }
}

async function reviewOne(
  before: InstalledPackage | null,
  after: InstalledPackage,
  fetchPackage: FetchPackage,
  rules: Rule[],
  analyser: FactsAnalyser,
): Promise<PackageReview> {
  try {
    const specOf = (p: InstalledPackage) => registrySpec(p.name, p.version)
    const fetchOf =
      (p: InstalledPackage, other: InstalledPackage | null, side: ReviewSide) =>
      (onContents: ContentsHook) =>
        fetchPackage(specOf(p), {
          onContents,
          ...(p.integrity ? { integrity: p.integrity } : {}),
          ...(other ? { pairedWith: { spec: specOf(other), side } } : {}),
        })
    return await fetchAndAnalyse(
      before ? fetchOf(before, after, 'from') : null,
      fetchOf(after, before, 'to'),
      rules,
      analyser,
    )
  } catch (err) {
    if (!isReviewError(err)) throw err
    return unverifiedReview(before?.version ?? null, after, err.code, err.message)
  }
}

function unverifiedReview(
  from: string | null,
  after: InstalledPackage,
  code: string,
  message: string,
): PackageReview {
  return {
    name: after.name,
    from,
    to: after.version,
    risk: 'none',
    status: 'unverified',
    error: { code, message },
    riskReasons: [],
    findings: [],
    files: [],
    hunks: [],
  }
}

type ContentsHook = (contents: PackageContents) => void

/**
 * Both versions fetched at once (null: a new package), each sent to the
 * analyser as soon as its files are verified, then the review.
 */
async function fetchAndAnalyse(
  fetchOld: ((early: ContentsHook) => Promise<FetchedPackage>) | null,
  fetchNew: (early: ContentsHook) => Promise<FetchedPackage>,
  rules: Rule[],
  analyser: FactsAnalyser,
): Promise<PackageReview> {
  const started: StartedFacts = new Map()
  const early: ContentsHook = (contents) => startFacts(contents, analyser, started)
  const [before, after] = await settleBoth(
    fetchOld ? fetchOld(early) : Promise.resolve(null),
    fetchNew(early),
  )
  return analysePackages(before, after, rules, analyser, started)
}

/**
 * The files of both versions analysed by `analyser` (worker threads) while
 * this thread diffs them, then the review.
 */
export async function analysePackages(
  before: FetchedPackage | null,
  after: FetchedPackage,
  rules: Rule[],
  analyser: FactsAnalyser,
  /** Files already sent to the analyser as their version arrived. */
  started: StartedFacts = new Map(),
): Promise<PackageReview> {
  const facts = collectAllFacts([before?.contents ?? null, after.contents], analyser, started)
  const diffs = diffPackages(before?.contents.files ?? null, after.contents.files)
  return reviewPackages(before, after, rules, { facts: await facts, diffs })
}

/** Pure: two fetched versions in, one package review out. */
export function reviewPackages(
  before: FetchedPackage | null,
  after: FetchedPackage,
  rules: Rule[] = loadRules(),
  /** Work already done: facts of the files (by content), the file diffs. */
  prepared: { facts?: FactsCache; diffs?: FileDiff[] } = {},
): PackageReview {
  const cache: FactsCache = prepared.facts ?? new Map()
  const oldView = before ? buildVersionView(before.contents, cache, before.metadata ?? null) : null
  const newView = buildVersionView(after.contents, cache, after.metadata ?? null)
  const findings = sortFindings(findNewFindings(rules, oldView, newView)).map((f) => ({
    ...f,
    fingerprint: fingerprintOf(after.name, f),
  }))
  const diffs = prepared.diffs ?? diffPackages(before?.contents.files ?? null, after.contents.files)
  const score = scoreFindings(findings)
  const cutShort = after.contents.incomplete ?? before?.contents.incomplete ?? null
  const unfinished = cutShort ? null : (incompleteAnalysis(newView) ?? incompleteAnalysis(oldView))
  return {
    name: after.name,
    from: before?.version ?? null,
    to: after.version,
    risk: score.risk,
    status: cutShort || unfinished ? 'unverified' : 'reviewed',
    ...(cutShort
      ? { error: { code: 'ETOOLARGE', message: `Not fully reviewed: ${cutShort}` } }
      : unfinished
        ? { error: { code: 'EANALYSIS', message: `Not fully reviewed: ${unfinished}` } }
        : {}),
    riskReasons: score.reasons,
    findings,
    files: summarizeFiles(diffs),
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

/**
 * Both fetches, in parallel, and both finished before either error is thrown:
 * a fetch still writing to the cache must not outlive the temp dir it writes to.
 */
async function settleBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b])
  if (ra.status === 'rejected') throw ra.reason
  if (rb.status === 'rejected') throw rb.reason
  return [ra.value, rb.value]
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
