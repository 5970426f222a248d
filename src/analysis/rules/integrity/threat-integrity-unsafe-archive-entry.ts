import type { Observation, Rule, VersionView } from '../types.js'

export const rule: Rule = {
  meta: {
    id: 'threat-integrity-unsafe-archive-entry',
    category: 'integrity',
    severity: 'high',
    title: 'Unsafe entry in the package archive',
    why: 'Links, devices, absolute paths and `..` in a tarball serve no purpose in a package and are used to write outside the install directory or to hide files from review.',
    remediation: 'Do not install this version; report the tarball to the registry.',
  },
  observe(version: VersionView): Observation[] {
    return version.archiveIssues.map((issue) => ({
      key: `${issue.kind}:${issue.entry}`,
      file: issue.entry,
      line: null,
      message: `Archive entry of type ${issue.kind} was not extracted: ${issue.detail}`,
      evidence: issue.entry,
    }))
  },
}
