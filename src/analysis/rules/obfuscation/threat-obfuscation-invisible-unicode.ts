import type { HiddenUnicodeKind } from '../../unicode.js'
import type { Observation, Rule, VersionView } from '../types.js'

const WHAT: Record<HiddenUnicodeKind, string> = {
  'bidi-control':
    'bidirectional control characters, which make code read differently than it runs (Trojan Source)',
  'zero-width': 'zero-width characters inside code or ASCII text, which hide names and text',
  'variation-selector':
    'a run of variation selectors, which can carry an invisible encoded payload',
  tag: 'Unicode tag characters, which carry invisible text that models still read',
}

export const rule: Rule = {
  meta: {
    id: 'threat-obfuscation-invisible-unicode',
    category: 'obfuscation',
    severity: 'high',
    title: 'Invisible or bidirectional characters',
    why: 'Characters a reviewer cannot see let code or text say one thing on screen and another to the machine or the model.',
    remediation:
      'Open the file with invisible characters shown; refuse the update unless they are plainly part of text.',
  },
  observe(version: VersionView): Observation[] {
    return version.code.flatMap((file) =>
      file.hiddenUnicode.map((h) => ({
        key: h.kind,
        file: file.path,
        line: h.line,
        message: `Contains ${WHAT[h.kind]}: ${h.codePoints}.`,
        evidence: h.evidence,
      })),
    )
  },
}
