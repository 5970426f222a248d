// The ONLY reader of CLI flags and action inputs: everything else receives a
// validated, typed Config.
import { parseArgs } from 'node:util'
import { z } from 'zod'
import type { AnalyserOptions } from './analysis/pool.js'
import { ReviewError } from './errors.js'
import { DEFAULT_POLICY_PATH } from './policy.js'
import { FAIL_ON, FailOnSchema } from './schemas.js'

export const FORMATS = ['markdown', 'json'] as const

const RegistrySchema = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .optional()

const CommonSchema = z.object({
  failOn: FailOnSchema.default('high'),
  /** A package we could not fetch, verify or fully read fails the run unless this is false. */
  failOnUnverified: z.boolean().default(true),
  registry: RegistrySchema,
  /** Versions published less than this many hours ago are a finding. */
  minReleaseAgeHours: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(48),
  /** A cache kept across runs (tarballs by integrity); default: a temp dir per run. */
  cacheDir: z.string().min(1).optional(),
  /** The policy file; in pull requests read from the base commit. */
  policyPath: z.string().min(1).default(DEFAULT_POLICY_PATH),
  /** Budget of one file's analysis; past it the package is not fully reviewed (unverified). */
  fileTimeoutSeconds: z.coerce.number().positive().max(3600).default(30),
  /** Analysis worker threads; 0 analyses in the main thread. Default: the cores, at most 4. */
  jobs: z.coerce.number().int().min(0).max(64).optional(),
})

const OutputSchema = z.object({
  format: z.enum(FORMATS).default('markdown'),
  /** Also write the JSON report to this file. */
  output: z.string().optional(),
})

export const SCOPES = ['mcp', 'all'] as const

/** Which changed packages a pull-request review covers. */
const ScopeSchema = z.object({
  scope: z.enum(SCOPES).default('mcp'),
  packages: z.array(z.string().min(1)).default([]),
  ignorePackages: z.array(z.string().min(1)).default([]),
})

export const CompareConfigSchema = CommonSchema.extend(OutputSchema.shape).extend({
  mode: z.literal('compare'),
  from: z.string().min(1),
  to: z.string().min(1),
})
export type CompareConfig = z.infer<typeof CompareConfigSchema>

export const PrConfigSchema = CommonSchema.extend(OutputSchema.shape)
  .extend(ScopeSchema.shape)
  .extend({
    mode: z.literal('pr'),
    repo: z.string().min(1),
    /** Default: the merge base of head and the default branch. */
    base: z.string().min(1).optional(),
    /** Default: the working tree. */
    head: z.string().min(1).optional(),
  })
export type PrConfig = z.infer<typeof PrConfigSchema>

export const COMMENT_MODES = ['always', 'on-findings', 'never'] as const

export const ActionConfigSchema = CommonSchema.extend(ScopeSchema.shape).extend({
  /** workflow_dispatch: the package to review, and its versions. */
  packageName: z.string().min(1).optional(),
  from: z.string().min(1).optional(),
  to: z.string().min(1).default('latest'),
  /** Pull requests: when to post the sticky comment. */
  comment: z.enum(COMMENT_MODES).default('always'),
  githubToken: z.string().optional(),
  /** A token for `registry` only. */
  registryToken: z.string().optional(),
})
export type ActionConfig = z.infer<typeof ActionConfigSchema>

export type CliCommand = { mode: 'help' } | { mode: 'version' } | CompareConfig | PrConfig

export const CLI_USAGE = `Usage:
  mcp-diff-review compare <old> <new> [options]
  mcp-diff-review pr [--base REF] [--head REF] [--repo DIR] [options]

compare: reviews what changed between two versions of an npm package (an MCP
server). <old> and <new> are registry specs (name@version), local .tgz files,
or tarball URLs. Git and directory specs are refused: npm would run their
prepare script.

pr: reviews every MCP-related package that changed between two commits of a
repository, in every lockfile (npm, yarn, pnpm, bun) and MCP client config
(.mcp.json, .cursor/mcp.json, .vscode/mcp.json, ...).
  --base REF                   default: merge base with the default branch
  --head REF                   default: the working tree
  --repo DIR                   default: the current directory
  --scope mcp|all              review MCP-related packages (default) or all
  --packages GLOB,...          also review these package names
  --ignore-packages GLOB,...   never review these package names

Options:
  --format markdown|json       output format (default: markdown)
  --fail-on ${FAIL_ON.join('|')}
                               exit 1 when the risk reaches this level (default: high)
  --allow-unverified           do not fail when a package could not be fully verified
  --registry URL               npm registry to fetch from (default: https://registry.npmjs.org/)
  --output FILE                also write the JSON report to FILE
  --min-release-age HOURS      flag versions published more recently (default: 48)
  --cache-dir DIR              keep fetched tarballs here across runs (default: a temp dir)
  --config FILE                policy file (default: .github/mcp-diff-review.yml; pr: read
                               from the base commit, so a change cannot allow itself)
  --file-timeout SECONDS       analysis budget of one file; a file over it leaves its package
                               not fully reviewed, i.e. unverified (default: 30)
  --jobs N                     analysis worker threads at most (default: the cores, up to 4)
  -h, --help                   show this help
  -v, --version                show the version

Exit codes: 0 below --fail-on, 1 at or above it, 2 on an error.`

export function parseCliArgs(argv: string[]): CliCommand {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        'allow-unverified': { type: 'boolean' },
        registry: { type: 'string' },
        output: { type: 'string' },
        'min-release-age': { type: 'string' },
        'cache-dir': { type: 'string' },
        config: { type: 'string' },
        'file-timeout': { type: 'string' },
        jobs: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        repo: { type: 'string' },
        scope: { type: 'string' },
        packages: { type: 'string' },
        'ignore-packages': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    })
  } catch (err) {
    throw new ReviewError('EUSAGE', `${(err as Error).message}. Run with --help for usage.`)
  }
  const { values, positionals } = parsed
  if (values.help) return { mode: 'help' }
  if (values.version) return { mode: 'version' }
  const [command, ...rest] = positionals
  const common = {
    format: values.format,
    failOn: values['fail-on'],
    failOnUnverified: values['allow-unverified'] ? false : undefined,
    registry: values.registry,
    output: values.output,
    minReleaseAgeHours: values['min-release-age'],
    cacheDir: values['cache-dir'],
    policyPath: values.config,
    fileTimeoutSeconds: values['file-timeout'],
    jobs: values.jobs,
  }
  if (command === 'pr') {
    if (rest.length)
      throw new ReviewError('EUSAGE', `pr takes no positional arguments, got "${rest[0]}".`)
    return validate(
      PrConfigSchema,
      {
        ...common,
        mode: 'pr',
        repo: values.repo ?? process.cwd(),
        base: values.base,
        head: values.head,
        scope: values.scope,
        packages: splitList(values.packages),
        ignorePackages: splitList(values['ignore-packages']),
      },
      FLAG_NAMES,
    )
  }
  if (command !== 'compare') {
    throw new ReviewError(
      'EUSAGE',
      command
        ? `Unknown command "${command}". The commands are: compare <old> <new>, pr.`
        : 'Missing command. Usage: mcp-diff-review compare <old> <new>, or mcp-diff-review pr.',
    )
  }
  if (rest.length !== 2) {
    throw new ReviewError(
      'EUSAGE',
      `compare takes exactly two packages (<old> <new>), got ${rest.length}.`,
    )
  }
  return validate(
    CompareConfigSchema,
    { ...common, mode: 'compare', from: rest[0], to: rest[1] },
    FLAG_NAMES,
  )
}

/** Reads the action's inputs through `getInput` (core.getInput), so this module stays free of @actions/core. */
export function readActionConfig(getInput: (name: string) => string): ActionConfig {
  const input = (name: string): string | undefined => getInput(name).trim() || undefined
  const unverified = input('fail-on-unverified')
  if (unverified !== undefined && unverified !== 'true' && unverified !== 'false') {
    throw new ReviewError(
      'EUSAGE',
      `Input "fail-on-unverified" must be "true" or "false", got "${unverified}".`,
    )
  }
  return validate(
    ActionConfigSchema,
    {
      packageName: input('package'),
      from: input('from'),
      to: input('to'),
      failOn: input('fail-on'),
      failOnUnverified: unverified === undefined ? undefined : unverified === 'true',
      registry: input('registry-url'),
      githubToken: input('github-token'),
      scope: input('scope'),
      packages: splitList(input('packages')),
      ignorePackages: splitList(input('ignore-packages')),
      comment: input('comment'),
      registryToken: input('registry-token'),
      minReleaseAgeHours: input('min-release-age'),
      cacheDir: input('cache-dir'),
      policyPath: input('config'),
      fileTimeoutSeconds: input('file-timeout'),
    },
    INPUT_NAMES,
  )
}

/** `a, b,c` -> ['a', 'b', 'c']; newlines separate too (multi-line action inputs). */
export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

const FLAG_NAMES: Record<string, string> = {
  policyPath: '--config',
  fileTimeoutSeconds: '--file-timeout',
  jobs: '--jobs',
  minReleaseAgeHours: '--min-release-age',
  cacheDir: '--cache-dir',
  scope: '--scope',
  packages: '--packages',
  ignorePackages: '--ignore-packages',
  repo: '--repo',
  base: '--base',
  head: '--head',
  failOn: '--fail-on',
  format: '--format',
  registry: '--registry',
  from: '<old>',
  to: '<new>',
  output: '--output',
}

const INPUT_NAMES: Record<string, string> = {
  policyPath: 'config',
  fileTimeoutSeconds: 'file-timeout',
  minReleaseAgeHours: 'min-release-age',
  cacheDir: 'cache-dir',
  scope: 'scope',
  packages: 'packages',
  ignorePackages: 'ignore-packages',
  comment: 'comment',
  failOn: 'fail-on',
  registry: 'registry-url',
  packageName: 'package',
  from: 'from',
  to: 'to',
  failOnUnverified: 'fail-on-unverified',
}

/** Parses with `schema`; the first problem becomes one line naming the flag or input. */
function validate<T>(schema: z.ZodType<T>, raw: unknown, names: Record<string, string>): T {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const field = String(issue.path[0] ?? '')
  const name = names[field] ?? field
  const given = (raw as Record<string, unknown>)[field]
  const allowed =
    issue.code === 'invalid_value' && 'values' in issue
      ? ` Allowed: ${issue.values.join(', ')}.`
      : ''
  const what = given === undefined ? 'is required' : `has an invalid value "${String(given)}"`
  throw new ReviewError('EUSAGE', `${name} ${what}.${allowed}`)
}

/** The analysis settings of a config: worker threads and the budget of one file. */
export function analysisOptions(config: {
  fileTimeoutSeconds: number
  jobs?: number | undefined
}): AnalyserOptions {
  return {
    fileTimeoutMs: config.fileTimeoutSeconds * 1000,
    ...(config.jobs !== undefined ? { workers: config.jobs } : {}),
  }
}
