import { HTTP_MODULES, RAW_NETWORK_MODULES } from '../../knowledge.js'
import type { Observation, Rule, VersionView } from '../types.js'

export const rule: Rule = {
  meta: {
    id: 'cap-network-new-module',
    category: 'network',
    severity: 'medium',
    title: 'New network capability',
    why: 'Code that starts using a network module or API can now send data out; raw sockets and DNS are rare in an MCP server and a known exfiltration path.',
    remediation: 'Read where the new network calls go and what they send.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const file of version.code) {
      for (const m of file.modules) {
        const raw = RAW_NETWORK_MODULES.has(m.module)
        if (!raw && !HTTP_MODULES.has(m.module)) continue
        out.push({
          key: `module:${m.module}`,
          file: file.path,
          line: m.line,
          message: raw
            ? `Starts using the \`${m.module}\` module (raw sockets or DNS).`
            : `Starts using the \`${m.module}\` module to make requests.`,
          evidence: m.evidence,
        })
      }
      for (const g of file.globals) {
        out.push({
          key: `global:${g.name}`,
          file: file.path,
          line: g.line,
          message: `Starts calling the global \`${g.name}\`.`,
          evidence: g.evidence,
        })
      }
    }
    return out
  },
}
