// The action: read config and event, run the pipeline, publish, map errors to setFailed.
import * as core from '@actions/core'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeError } from './cli-main.js'
import { readActionConfig, type ActionConfig } from './config.js'
import { fetchPackage } from './fetch/pacote.js'
import { withTempDir } from './fetch/tempdir.js'
import { escapeForLog } from './render/escape.js'
import { renderJson } from './render/json.js'
import { renderMarkdown } from './render/markdown.js'
import { reviewCompare } from './review.js'
import type { Report } from './schemas.js'
import { verdictOf } from './verdict.js'

const SUMMARY_MAX_LENGTH = 900_000

export async function run(): Promise<void> {
  try {
    const token = core.getInput('github-token')
    if (token) core.setSecret(token)
    const config = readActionConfig((name) => core.getInput(name))
    const report = await review(config)
    await publish(report, config)
  } catch (err) {
    core.setFailed(escapeForLog(describeError(err)))
  }
}

async function review(config: ActionConfig): Promise<Report> {
  const name = config.packageName
  return withTempDir((cache) =>
    reviewCompare({ from: `${name}@${config.from}`, to: `${name}@${config.to}` }, (spec) =>
      fetchPackage(spec, { cache, ...(config.registry ? { registry: config.registry } : {}) }),
    ),
  )
}

async function publish(report: Report, config: ActionConfig): Promise<void> {
  const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), 'mcp-diff-review-report.json')
  await writeFile(reportPath, renderJson(report))
  core.setOutput('risk', report.risk)
  core.setOutput('report', reportPath)
  core.setOutput('packages-reviewed', String(report.packages.length))
  core.setOutput('findings', String(report.packages.reduce((n, p) => n + p.findings.length, 0)))
  // The job summary takes up to 1 MiB, far more than a comment.
  await core.summary.addRaw(renderMarkdown(report, { maxLength: SUMMARY_MAX_LENGTH })).write()
  annotate(report)
  const verdict = verdictOf(report, config)
  if (verdict.fail) core.setFailed(verdict.summary)
  else core.info(verdict.summary)
}

/** One annotation per high or critical finding, so it shows on the run's page. */
function annotate(report: Report): void {
  for (const pkg of report.packages) {
    for (const f of pkg.findings) {
      if (f.severity !== 'high' && f.severity !== 'critical') continue
      const where = `${pkg.name}@${pkg.to} ${f.file}${f.line ? `:${f.line}` : ''}`
      const message = escapeForLog(`${f.severity}: ${f.message} (${where}, ${f.ruleId})`)
      if (f.severity === 'critical') core.error(message, { title: 'mcp-diff-review' })
      else core.warning(message, { title: 'mcp-diff-review' })
    }
  }
}
