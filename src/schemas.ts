// The domain model and the zod schemas used at every boundary.
// The report schema is a public contract (docs/report-format.md): change it
// only by adding optional fields, or bump schemaVersion.
import { z } from 'zod'

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export const SeveritySchema = z.enum(SEVERITIES)
export type Severity = z.infer<typeof SeveritySchema>

export const RISKS = ['none', ...SEVERITIES] as const
export const RiskSchema = z.enum(RISKS)
export type Risk = z.infer<typeof RiskSchema>

/** `never` never fails the run; any other value fails at that risk or above. */
export const FAIL_ON = [...RISKS, 'never'] as const
export const FailOnSchema = z.enum(FAIL_ON)
export type FailOn = z.infer<typeof FailOnSchema>

export const CATEGORIES = [
  'email',
  'network',
  'exec',
  'install',
  'secrets',
  'obfuscation',
  'mcp-tools',
  'metadata',
  'integrity',
] as const
export const CategorySchema = z.enum(CATEGORIES)
export type Category = z.infer<typeof CategorySchema>

export const FindingSchema = z.object({
  ruleId: z.string(),
  category: CategorySchema,
  severity: SeveritySchema,
  /** Path inside the package, without the `package/` prefix. */
  file: z.string(),
  /** 1-based line in the new version; null when the finding is not tied to a line. */
  line: z.number().int().positive().nullable(),
  message: z.string(),
  evidence: z.string(),
  /** True when `file` is a path in the repository (an MCP config, a lockfile), not in the package. */
  repositoryFile: z.boolean().optional(),
  /** What the finding is about, as the rule keys it: a host, `bcc:addr@host`, `module:net`, a script. */
  subject: z.string().optional(),
  /** Stable id of (package, rule, subject): what a policy's `accept` entry names. */
  fingerprint: z.string().optional(),
  /** One sentence: why a finding of this rule matters (the rule's `why`). */
  why: z.string().optional(),
})
export type Finding = z.infer<typeof FindingSchema>

/** A finding the repository's policy accepted, with the policy's reason. */
export const AcceptedFindingSchema = FindingSchema.extend({ reason: z.string() })
export type AcceptedFinding = z.infer<typeof AcceptedFindingSchema>

export const FileStatusSchema = z.enum(['added', 'removed', 'modified'])
export type FileStatus = z.infer<typeof FileStatusSchema>

export const FileSummarySchema = z.object({
  path: z.string(),
  /** A moved or renamed file (diffed against its old content): its path in the old version. */
  renamedFrom: z.string().optional(),
  status: FileStatusSchema,
  binary: z.boolean(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** True when the diff was too costly to do exactly and the counts are an upper bound. */
  approximate: z.boolean().optional(),
})
export type FileSummary = z.infer<typeof FileSummarySchema>

export const HunkLineSchema = z.object({
  kind: z.enum(['add', 'del', 'ctx']),
  /** Line number in the new version (add, ctx) or in the old version (del). */
  line: z.number().int().positive(),
  text: z.string(),
})
export type HunkLine = z.infer<typeof HunkLineSchema>

export const HunkSchema = z.object({
  file: z.string(),
  oldStart: z.number().int().nonnegative(),
  newStart: z.number().int().nonnegative(),
  lines: z.array(HunkLineSchema),
})
export type Hunk = z.infer<typeof HunkSchema>

export const PackageStatusSchema = z.enum(['reviewed', 'unverified'])
export type PackageStatus = z.infer<typeof PackageStatusSchema>

export const PackageReviewSchema = z.object({
  name: z.string(),
  /** Null when the package is new (reviewed against nothing). */
  from: z.string().nullable(),
  to: z.string(),
  risk: RiskSchema,
  /** `unverified`: the package could not be fetched, checked or fully read. */
  status: PackageStatusSchema,
  /** Why the package is unverified; absent when reviewed. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** One sentence per step that raised the risk above the highest single finding. */
  riskReasons: z.array(z.string()),
  findings: z.array(FindingSchema),
  files: z.array(FileSummarySchema),
  /** The diff hunks that contain a finding's line, for the reviewer to read. */
  hunks: z.array(HunkSchema),
  /** Pull-request mode: the lockfile or MCP config (repository path and line) the change comes from. */
  source: z.object({ file: z.string(), line: z.number().int().positive().nullable() }).optional(),
  /** Pull-request mode: why the package was considered MCP-related. */
  reasons: z.array(z.string()).optional(),
  /** Findings the policy file accepted or allowed; they do not count toward the risk. */
  accepted: z.array(AcceptedFindingSchema).optional(),
})
export type PackageReview = z.infer<typeof PackageReviewSchema>

export const ReportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('mcp-diff-review'), version: z.string() }),
  risk: RiskSchema,
  packages: z.array(PackageReviewSchema),
})
export type Report = z.infer<typeof ReportSchema>

/** The manifest fields we read; everything else in package.json is ignored. */
export const ManifestSchema = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    scripts: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough()
export type Manifest = z.infer<typeof ManifestSchema>

/** A rule's metadata; validated when the registry loads, documented in docs/rules.md. */
export const RuleMetaSchema = z.object({
  id: z.string().regex(/^(cap|threat)-[a-z]+(?:-[a-z0-9]+)+$/),
  category: CategorySchema,
  /** The severity of a finding unless the detector says otherwise for one observation. */
  severity: SeveritySchema,
  title: z.string().min(5),
  /** One sentence shown to users: why this matters. */
  why: z.string().min(20),
  remediation: z.string().min(10),
})
export type RuleMeta = z.infer<typeof RuleMetaSchema>

/** The parts of a `pull_request` / `pull_request_target` event payload we use. */
export const PullRequestEventSchema = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    base: z.object({
      sha: z.string().min(7),
      repo: z.object({ full_name: z.string() }),
    }),
    head: z.object({
      sha: z.string().min(7),
      // null when the fork was deleted
      repo: z.object({ full_name: z.string() }).nullable(),
    }),
  }),
  repository: z.object({
    name: z.string(),
    owner: z.object({ login: z.string() }),
  }),
})
export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>
