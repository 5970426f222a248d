import { dropperSignal } from '../../capabilities.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { excerpt } from '../evidence.js'

export const rule: Rule = {
  meta: {
    id: 'threat-exec-dropper-command',
    category: 'exec',
    severity: 'critical',
    title: 'Downloads and runs code, or opens a remote shell',
    why: 'A command that pipes a download into a shell, decodes and runs a payload, or connects a shell to a socket hands the machine to whoever controls the other end.',
    remediation:
      'Do not install this version; pin the previous one and report the package to the registry.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const file of version.code) {
      for (const e of file.execs) {
        if (e.command === null) continue
        const signal = dropperSignal(e.command)
        if (!signal) continue
        out.push({
          key: `${signal.kind}:${e.command.replace(/\s+/g, ' ').trim().slice(0, 300)}`,
          file: file.path,
          line: e.line,
          message: `${signal.description}: \`${excerpt(e.command, 200)}\`.`,
          evidence: e.evidence,
          severity: signal.kind === 'interactive-shell' ? 'high' : 'critical',
        })
      }
    }
    return out
  },
}
