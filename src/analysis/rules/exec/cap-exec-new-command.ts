import { commandProgram, SENSITIVE_PROGRAMS } from '../../capabilities.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { excerpt } from '../evidence.js'

export const rule: Rule = {
  meta: {
    id: 'cap-exec-new-command',
    category: 'exec',
    severity: 'low',
    title: 'Runs a new program',
    why: 'Each program a server runs acts with the user\u2019s rights; a shell, interpreter or network tool among them can do anything.',
    remediation:
      'Check that the new command belongs to what the tool is for, and where its arguments come from.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const file of version.code) {
      for (const e of file.execs) {
        const program = e.command === null ? null : commandProgram(e.command)
        if (program === null) continue
        out.push({
          key: `program:${program}`,
          file: file.path,
          line: e.line,
          message: `Runs \`${excerpt(program, 60)}\` through \`${e.via}\`: ${excerpt(e.command!, 120)}`,
          evidence: e.evidence,
          // Shells, interpreters and network tools can do anything; `git` or `ls` cannot.
          severity: SENSITIVE_PROGRAMS.has(program) ? 'medium' : 'low',
        })
      }
    }
    return out
  },
}
