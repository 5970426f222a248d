import type { Observation, Rule, VersionView } from '../types.js'

export const rule: Rule = {
  meta: {
    id: 'threat-secrets-env-dump',
    category: 'secrets',
    severity: 'high',
    title: 'Reads the whole environment',
    why: 'The environment of an agent holds its API keys and tokens; code that reads all of it, rather than the variables it needs, is collecting secrets.',
    remediation:
      'Find where the collected environment goes; refuse the update if it leaves the process.',
  },
  observe(version: VersionView): Observation[] {
    return version.code.flatMap((file) =>
      file.envDumps.map((d) => ({
        key: 'env-dump',
        file: file.path,
        line: d.line,
        message: 'Reads every environment variable at once (`process.env` as a whole).',
        evidence: d.evidence,
      })),
    )
  },
}
