// The report as JSON: the public contract documented in docs/report-format.md.
import { z } from 'zod'
import { ReviewError } from '../errors.js'
import { ReportSchema } from '../schemas.js'
import type { Report } from '../schemas.js'

/**
 * Validates the report (a failure is our bug, not the user's) and prints it
 * with keys in schema order, two-space indent and a final newline. Parsing
 * also drops keys the schema does not know, so nothing leaks into the contract.
 */
export function renderJson(report: Report): string {
  const parsed = ReportSchema.safeParse(report)
  if (!parsed.success) {
    throw new ReviewError(
      'EINTERNAL',
      `The review produced an invalid report:\n${z.prettifyError(parsed.error)}`,
    )
  }
  return JSON.stringify(parsed.data, null, 2) + '\n'
}
