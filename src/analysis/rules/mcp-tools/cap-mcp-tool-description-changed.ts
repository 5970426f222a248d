import type { Observation, Rule, VersionView } from '../types.js'
import { excerpt } from '../evidence.js'
import { descriptionHash, toolsOf } from './tool-views.js'

export const rule: Rule = {
  meta: {
    id: 'cap-mcp-tool-description-changed',
    category: 'mcp-tools',
    severity: 'low',
    title: 'MCP tool description changed',
    why: 'The model reads tool descriptions as instructions, so a changed description changes what the agent does even when the code does not.',
    remediation: 'Read the new description as you would read a prompt.',
  },
  // A first version has nothing to change from.
  observe(): Observation[] {
    return []
  },
  // Only tools the old version had: a new tool is reported as added.
  observeChange(before: VersionView, after: VersionView): Observation[] {
    const old = new Map<string, string[]>()
    for (const t of toolsOf(before)) {
      if (t.description === null) continue
      old.set(t.name, [...(old.get(t.name) ?? []), t.description])
    }
    const out: Observation[] = []
    for (const t of toolsOf(after)) {
      const previous = old.get(t.name)
      if (!previous || t.description === null) continue
      const hash = descriptionHash(t.description)
      if (previous.some((d) => descriptionHash(d) === hash)) continue
      out.push({
        key: `${t.name}#${hash}`,
        file: t.file,
        line: t.line,
        message: `The description of tool \`${excerpt(t.name, 80)}\` changed; it was: "${excerpt(previous[0]!, 200)}"`,
        evidence: excerpt(t.description, 200),
      })
    }
    return out
  },
}
