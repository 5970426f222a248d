// The ONLY reader of CLI flags and action inputs: everything else receives a
// validated, typed Config.
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { ReviewError } from './errors.js'
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
})

export const CompareConfigSchema = CommonSchema.extend({
  mode: z.literal('compare'),
  from: z.string().min(1),
  to: z.string().min(1),
  format: z.enum(FORMATS).default('markdown'),
  /** Also write the JSON report to this file. */
  output: z.string().optional(),
})
export type CompareConfig = z.infer<typeof CompareConfigSchema>

export const ActionConfigSchema = CommonSchema.extend({
  mode: z.literal('dispatch'),
  packageName: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1).default('latest'),
  githubToken: z.string().optional(),
})
export type ActionConfig = z.infer<typeof ActionConfigSchema>

export type CliCommand = { mode: 'help' } | { mode: 'version' } | CompareConfig

export const CLI_USAGE = `Usage: mcp-diff-review compare <old> <new> [options]

Reviews what changed between two versions of an npm package (an MCP server)
and prints a risk-annotated review. <old> and <new> are registry specs
(name@version), local .tgz files, or tarball URLs. Git and directory specs are
refused: npm would run their prepare script.

Options:
  --format markdown|json       output format (default: markdown)
  --fail-on ${FAIL_ON.join('|')}
                               exit 1 when the risk reaches this level (default: high)
  --allow-unverified           do not fail when a package could not be fully verified
  --registry URL               npm registry to fetch from (default: https://registry.npmjs.org/)
  --output FILE                also write the JSON report to FILE
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
  if (command !== 'compare') {
    throw new ReviewError(
      'EUSAGE',
      command
        ? `Unknown command "${command}". The command is: compare <old> <new>.`
        : 'Missing command. Usage: mcp-diff-review compare <old> <new>.',
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
    {
      mode: 'compare',
      from: rest[0],
      to: rest[1],
      format: values.format,
      failOn: values['fail-on'],
      failOnUnverified: values['allow-unverified'] ? false : undefined,
      registry: values.registry,
      output: values.output,
    },
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
      mode: 'dispatch',
      packageName: input('package'),
      from: input('from'),
      to: input('to'),
      failOn: input('fail-on'),
      failOnUnverified: unverified === undefined ? undefined : unverified === 'true',
      registry: input('registry-url'),
      githubToken: input('github-token'),
    },
    INPUT_NAMES,
  )
}

const FLAG_NAMES: Record<string, string> = {
  failOn: '--fail-on',
  format: '--format',
  registry: '--registry',
  from: '<old>',
  to: '<new>',
  output: '--output',
}

const INPUT_NAMES: Record<string, string> = {
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
  throw new ReviewError('EUSAGE', `${name} ${what}.${allowed}`.replace('..', '.'))
}
