import type { ArchiveIssue } from '../../fetch/types.js'
import type { Manifest, RuleMeta, Severity } from '../../schemas.js'
import type { FileFacts } from '../facts.js'

/** What a rule sees of one version of a package. */
export interface VersionView {
  /** Facts of every code file. */
  code: FileFacts[]
  /** package.json, parsed (null when absent or invalid), and its text for line numbers. */
  manifest: Manifest | null
  manifestText: string
  /** Every path in the package. */
  paths: string[]
  archiveIssues: ArchiveIssue[]
}

/**
 * Something a version does. The engine reports the observations of the new
 * version whose `key` no observation of the old version has: what the old
 * version already did is not news, wherever it moved to.
 */
export interface Observation {
  key: string
  file: string
  line: number | null
  message: string
  evidence: string
  /** Overrides the rule's severity for this observation. */
  severity?: Severity
}

export interface Rule {
  meta: RuleMeta
  observe(version: VersionView): Observation[]
}
