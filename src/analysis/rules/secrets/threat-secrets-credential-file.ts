import { CREDENTIAL_PATHS } from '../../knowledge.js'
import { findCredentialPaths } from '../../literals.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { withValue } from '../evidence.js'

export const rule: Rule = {
  meta: {
    id: 'threat-secrets-credential-file',
    category: 'secrets',
    severity: 'high',
    title: 'Names a credential file',
    why: 'Files such as ~/.npmrc, ~/.ssh and ~/.aws/credentials hold the keys to the user\u2019s accounts; an MCP server has no reason to start reading them.',
    remediation: 'Find what reads the file and where its contents go.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const file of version.code) {
      for (const s of file.strings) {
        for (const path of findCredentialPaths(s.value, CREDENTIAL_PATHS)) {
          out.push({
            key: path,
            file: file.path,
            line: s.line,
            message: `Names the credential path \`${path}\`.`,
            evidence: withValue(s.evidence, s.value),
          })
        }
      }
    }
    return out
  },
}
