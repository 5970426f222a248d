// The repository's policy file (.github/mcp-diff-review.yml): hosts and
// recipients a package may use, and findings accepted by fingerprint with a
// reason the review shows. Pure: text in, validated policy out; report in,
// report out. In pull requests it is read from the BASE commit, so a PR cannot
// allow its own findings.
import { createHash } from 'node:crypto'
import picomatch from 'picomatch'
import { isScalar, LineCounter, parseDocument, visit } from 'yaml'
import { z } from 'zod'
import { ReviewError } from './errors.js'
import type { AcceptedFinding, Finding, PackageReview, Report } from './schemas.js'
import { scoreFindings, maxRisk } from './score.js'

export const DEFAULT_POLICY_PATH = '.github/mcp-diff-review.yml'
const MAX_POLICY_BYTES = 256 * 1024

const PackagePolicySchema = z
  .object({
    'allow-hosts': z.array(z.string().min(1)).default([]),
    'allow-recipients': z.array(z.string().min(1)).default([]),
  })
  .strict()

export const PolicySchema = z
  .object({
    /** Keys are package names or globs (`@acme/*`); picomatch throws on an empty or huge one. */
    packages: z.record(z.string().min(1).max(1000), PackagePolicySchema).default({}),
    accept: z
      .array(
        z
          .object({
            fingerprint: z
              .string()
              .regex(/^[0-9a-f]{16}$/, 'must be the 16 hex digits the review shows'),
            reason: z.string().min(3),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
export type Policy = z.infer<typeof PolicySchema>

export const EMPTY_POLICY: Policy = { packages: {}, accept: [] }

export function parsePolicy(path: string, text: string): Policy {
  if (text.length > MAX_POLICY_BYTES) {
    throw new ReviewError('ECONFIG', `${path}: larger than ${MAX_POLICY_BYTES} bytes`)
  }
  // yaml's own uniqueKeys compares every key with every other: 40 s on a
  // 250 KB file of keys. A set per map finds duplicates in linear time.
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, lineCounter })
  if (doc.errors.length) {
    const e = doc.errors[0]!
    throw new ReviewError(
      'ECONFIG',
      `${path}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]}`,
    )
  }
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>()
      for (const { key } of map.items) {
        const value: unknown = isScalar(key) ? key.value : key
        if (seen.has(value)) {
          const line = isScalar(key) && key.range ? lineCounter.linePos(key.range[0]).line : 1
          throw new ReviewError('ECONFIG', `${path}:${line}: Map keys must be unique`)
        }
        seen.add(value)
      }
    },
  })
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 20 })
  } catch (err) {
    // yaml refuses alias bombs here ("Excessive alias count").
    throw new ReviewError('ECONFIG', `${path}: ${(err as Error).message}`, { cause: err })
  }
  const result = PolicySchema.safeParse(value ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]!
    throw new ReviewError(
      'ECONFIG',
      `${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}. See the README's "Policy file" section.`,
    )
  }
  return result.data
}

/** The policy at `path` through `read` (a file, a commit); none when there is no such file. */
export async function readPolicy(
  path: string,
  read: (path: string) => Promise<string | null>,
): Promise<Policy> {
  const text = await read(path)
  return text === null ? EMPTY_POLICY : parsePolicy(path, text)
}

/** Stable across versions: the same package, rule and subject get the same fingerprint. */
export function fingerprintOf(
  packageName: string,
  finding: Pick<Finding, 'ruleId' | 'subject' | 'file'>,
): string {
  return createHash('sha256')
    .update(`${packageName}\0${finding.ruleId}\0${finding.subject ?? finding.file}`)
    .digest('hex')
    .slice(0, 16)
}

/** The policy applied: allowed and accepted findings move to `accepted`, risks are scored again. */
export function applyPolicy(report: Report, policy: Policy): Report {
  if (!Object.keys(policy.packages).length && !policy.accept.length) return report
  const packages = report.packages.map((pkg) => applyToPackage(pkg, policy))
  return { ...report, packages, risk: maxRisk(packages.map((p) => p.risk)) }
}

function applyToPackage(pkg: PackageReview, policy: Policy): PackageReview {
  const rules = Object.entries(policy.packages)
    .filter(([pattern]) => pattern === pkg.name || picomatch.isMatch(pkg.name, pattern))
    .map(([, rule]) => rule)
  const accepted: AcceptedFinding[] = [...(pkg.accepted ?? [])]
  const kept: Finding[] = []
  for (const f of pkg.findings) {
    const reason = reasonFor(f, rules, policy)
    if (reason) accepted.push({ ...f, reason })
    else kept.push(f)
  }
  if (kept.length === pkg.findings.length) return pkg
  const score = scoreFindings(kept)
  return { ...pkg, findings: kept, accepted, risk: score.risk, riskReasons: score.reasons }
}

function reasonFor(
  f: Finding,
  rules: z.infer<typeof PackagePolicySchema>[],
  policy: Policy,
): string | null {
  const accepted = policy.accept.find((a) => a.fingerprint === f.fingerprint)
  if (accepted) return accepted.reason
  const subject = (f.subject ?? '').toLowerCase()
  if (f.category === 'network') {
    const host = rules
      .flatMap((r) => r['allow-hosts'])
      .find((h) => subject === h.toLowerCase() || subject.startsWith(h.toLowerCase() + '/'))
    if (host) return `the policy allows the host ${host}`
  }
  if (f.category === 'email') {
    const address = rules
      .flatMap((r) => r['allow-recipients'])
      .find((a) => subject.endsWith(':' + a.toLowerCase()))
    if (address) return `the policy allows the recipient ${address}`
  }
  return null
}
