import type { ArchiveIssue, VersionMetadata } from '../../fetch/types.js'
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
  /** What the registry says of this version; null or absent for a file or URL spec. */
  metadata?: VersionMetadata | null
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
  /**
   * For rules that judge the new version against the old one (a look-alike of
   * an old host, a removed tool): used instead of `observe(after)` when there
   * is an old version; its keys are still checked against `observe(before)`.
   */
  observeChange?(before: VersionView, after: VersionView): Observation[]
}
