import type { ObfuscationKind } from '../../obfuscation.js'
import type { Observation, Rule, VersionView } from '../types.js'

const WHAT: Record<ObfuscationKind, string> = {
  'hex-identifiers': 'obfuscator-style hexadecimal names',
  'string-array-rotation': 'the string-array rotation of javascript-obfuscator',
  'encoded-code': 'a long encoded string that decodes to code or addresses',
  'high-entropy-string': 'a long string that looks random (encrypted or packed data)',
}

export const rule: Rule = {
  meta: {
    id: 'threat-obfuscation-obfuscated-code',
    category: 'obfuscation',
    severity: 'high',
    title: 'Code written not to be read',
    why: 'Obfuscation in an update hides what the code does from review; open-source MCP servers have no reason to start shipping it.',
    remediation:
      'Compare with the project\u2019s source repository; refuse the update if the published code cannot be traced to it.',
  },
  observe(version: VersionView): Observation[] {
    return version.code.flatMap((file) =>
      file.obfuscation.map((o) => ({
        key: o.kind,
        file: file.path,
        line: o.line,
        message: `Contains ${WHAT[o.kind]} (${o.detail}).`,
        evidence: o.evidence,
        // Random-looking data has innocent uses (keys, embedded assets); the others do not.
        ...(o.kind === 'high-entropy-string' ? { severity: 'medium' as const } : {}),
      })),
    )
  },
}
