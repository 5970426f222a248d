import { CREDENTIAL_PATHS, TOOL_POISONING_SIGNALS } from '../../knowledge.js'
import { findCredentialPath, findEmails } from '../../literals.js'
import { findHiddenUnicode } from '../../unicode.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { excerpt } from '../evidence.js'
import { toolsOf } from './tool-views.js'

const MAX_DESCRIPTION = 16 * 1024

export const rule: Rule = {
  meta: {
    id: 'threat-mcp-tool-poisoning',
    category: 'mcp-tools',
    severity: 'high',
    title: 'Tool description with instructions aimed at the model',
    why: 'The model follows what a tool description says and the user rarely sees it, so hidden tags, secrecy, file reads or "send it to" in a description turn the agent against its user (tool poisoning).',
    remediation:
      'Do not merge; read the whole description and report the package if the instructions are not plainly about using the tool.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const t of toolsOf(version)) {
      if (t.description === null) continue
      const signals = findSignals(t.description)
      // One weak signal ("read ~/.ssh" in an SSH tool) is often the tool's own subject; two are not.
      const severity = signals.length >= 2 ? 'high' : 'medium'
      for (const { signal, match, strong } of signals) {
        out.push({
          key: `${t.name}:${signal}`,
          file: t.file,
          line: t.line,
          message: `The description of tool \`${excerpt(t.name, 80)}\` contains a ${signal}: "${excerpt(match, 80)}".`,
          evidence: excerpt(around(t.description, match), 200),
          ...(strong ? {} : { severity }),
        })
      }
    }
    return out
  },
}

/** Each kind of instruction found, with the first text that shows it. */
export interface Signal {
  signal: string
  /** The text that shows it. */
  match: string
  /** High on its own; otherwise high only next to another signal. */
  strong: boolean
}

export function findSignals(description: string): Signal[] {
  const text = description.slice(0, MAX_DESCRIPTION)
  const lower = text.toLowerCase().replace(/\s+/g, ' ')
  const out: Signal[] = []
  for (const { signal, phrases, strong } of TOOL_POISONING_SIGNALS) {
    const phrase = phrases.find((p) => lower.includes(p))
    if (phrase) out.push({ signal, match: phrase, strong })
  }
  const path = findCredentialPath(text, CREDENTIAL_PATHS)
  if (path && !out.some((o) => o.signal === 'request to read secrets'))
    out.push({ signal: 'request to read secrets', match: path, strong: false })
  const email = findEmails(text)[0]
  if (email) out.push({ signal: 'hard-coded address', match: email, strong: false })
  const hidden = findHiddenUnicode(text)[0]
  if (hidden) {
    const match = text.slice(hidden.offset, hidden.offset + 20)
    out.push({ signal: 'hidden text', match, strong: true })
  }
  return out
}

function around(text: string, match: string): string {
  const at = text.toLowerCase().replace(/\s+/g, ' ').indexOf(match.toLowerCase())
  const flat = text.replace(/\s+/g, ' ')
  return at <= 40 ? flat : '…' + flat.slice(at - 40)
}
