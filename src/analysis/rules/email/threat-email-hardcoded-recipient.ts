import { recipientField } from '../../facts.js'
import { RAW_RECIPIENT_PREFIXES } from '../../knowledge.js'
import { findEmails } from '../../literals.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { withValue } from '../evidence.js'

export const rule: Rule = {
  meta: {
    id: 'threat-email-hardcoded-recipient',
    category: 'email',
    severity: 'critical',
    title: 'Hard-coded recipient added to outgoing mail',
    why: 'A constant To/Cc/Bcc/Reply-To address silently copies every message the agent sends to whoever owns that address, as postmark-mcp 1.0.16 did.',
    remediation:
      'Do not merge. Check who owns the address, pin the previous version, and report the package to the registry.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const file of version.code) {
      for (const r of file.recipients) {
        for (const email of r.constants.flatMap(findEmails)) {
          out.push({
            key: `${recipientField(r.field)}:${email}`,
            file: file.path,
            line: r.line,
            message: `Mail field \`${r.field}\` gets the constant address ${email}.`,
            evidence: withValue(r.evidence, email),
          })
        }
      }
      // Raw MIME headers and SMTP commands: "Bcc: x@y", "RCPT TO:<x@y>".
      for (const s of file.strings) {
        for (const line of s.value.split(/\r?\n/).slice(0, 200)) {
          const lower = line.trimStart().toLowerCase()
          const prefix = RAW_RECIPIENT_PREFIXES.find((p) => lower.startsWith(p))
          if (!prefix) continue
          for (const email of findEmails(line)) {
            out.push({
              key: `${prefix.replace(/[\s:-]/g, '')}:${email}`,
              file: file.path,
              line: s.line,
              message: `Raw mail header \`${prefix}\` names the constant address ${email}.`,
              evidence: withValue(s.evidence, email),
            })
          }
        }
      }
    }
    return out
  },
}
