import type { Observation, Rule, VersionView } from '../types.js'
import { excerpt } from '../evidence.js'
import { toolsOf } from './tool-views.js'

export const rule: Rule = {
  meta: {
    id: 'cap-mcp-tool-added',
    category: 'mcp-tools',
    severity: 'low',
    title: 'New MCP tool',
    why: 'A new tool is a new action the model can take with the user\u2019s data and rights.',
    remediation: 'Read what the new tool does and whether your agent should be able to call it.',
  },
  observe(version: VersionView): Observation[] {
    return toolsOf(version).map((t) => ({
      key: `tool:${t.name}`,
      file: t.file,
      line: t.line,
      message: `Adds the tool \`${excerpt(t.name, 80)}\`${t.params.length ? ` (${t.params.slice(0, 8).join(', ')})` : ''}.`,
      evidence: t.description === null ? t.evidence : excerpt(t.description),
    }))
  },
}
