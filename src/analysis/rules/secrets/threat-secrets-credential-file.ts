import { CREDENTIAL_PATHS } from '../../knowledge.js'
import type { Observation, Rule, VersionView } from '../types.js'

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
        if (s.value.length > 4096) continue
        const value = s.value.replace(/\\/g, '/')
        for (const path of CREDENTIAL_PATHS) {
          if (!containsPath(value, path)) continue
          out.push({
            key: path,
            file: file.path,
            line: s.line,
            message: `Names the credential path \`${path}\`.`,
            evidence: s.evidence,
          })
        }
      }
    }
    return out
  },
}

/**
 * `path` at a path boundary: `.npmrc` in `~/.npmrc` or as a path segment, not in
 * `my.npmrc.example`; names without a dot (`Login Data`) only as a whole segment.
 */
function containsPath(value: string, path: string): boolean {
  for (let at = value.indexOf(path); at !== -1; at = value.indexOf(path, at + 1)) {
    const before = at === 0 ? '' : value[at - 1]!
    const after = value[at + path.length] ?? ''
    const startOk = path.startsWith('.')
      ? ['', '/', '~', ' '].includes(before)
      : ['', '/'].includes(before)
    const endOk = path.endsWith('/') || ['', '/', ' ', '"', "'"].includes(after)
    if (startOk && endOk) return true
  }
  return false
}
