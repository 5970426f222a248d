import type { Observation, Rule, VersionView } from '../types.js'
import { excerpt } from '../evidence.js'
import { toolsOf } from './tool-views.js'

export const rule: Rule = {
  meta: {
    id: 'cap-mcp-tool-removed',
    category: 'mcp-tools',
    severity: 'low',
    title: 'MCP tool removed',
    why: 'A removed tool breaks agents and prompts that rely on it, and a tool that disappears while another appears may be a rename worth reading.',
    remediation: 'Check the changelog; update prompts and agent configs that name the tool.',
  },
  // Only a comparison can see what is gone.
  observe(): Observation[] {
    return []
  },
  observeChange(before: VersionView, after: VersionView): Observation[] {
    const now = new Set(toolsOf(after).map((t) => t.name))
    const out: Observation[] = []
    for (const t of toolsOf(before)) {
      if (now.has(t.name)) continue
      out.push({
        key: `removed:${t.name}`,
        file: t.file,
        line: null,
        message: `The tool \`${excerpt(t.name, 80)}\` (in ${t.file} of the previous version) is gone.`,
        evidence: t.name,
      })
    }
    return out
  },
}
