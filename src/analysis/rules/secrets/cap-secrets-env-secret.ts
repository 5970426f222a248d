import type { Observation, Rule, VersionView } from '../types.js'

export const rule: Rule = {
  meta: {
    id: 'cap-secrets-env-secret',
    category: 'secrets',
    severity: 'low',
    title: 'Reads a new secret from the environment',
    why: 'A token, key or password the previous version never read is a new secret the server holds; it matters if it was not meant for this server or leaves it.',
    remediation: 'Check that the variable belongs to the service the package is for.',
  },
  observe(version: VersionView): Observation[] {
    return version.code.flatMap((file) =>
      file.secretEnv.map((s) => ({
        key: s.name,
        file: file.path,
        line: s.line,
        message: `Reads the environment variable \`${s.name}\`, which holds a secret.`,
        evidence: s.evidence,
      })),
    )
  },
}
