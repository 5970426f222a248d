import { EXEC_MODULES } from '../../knowledge.js'
import type { Observation, Rule, VersionView } from '../types.js'

export const rule: Rule = {
  meta: {
    id: 'cap-exec-child-process',
    category: 'exec',
    severity: 'high',
    title: 'New process execution',
    why: 'A package that starts running other programs can do anything the user running the agent can, from installing malware to opening a reverse shell.',
    remediation: 'Read every new command it runs and where its arguments come from.',
  },
  observe(version: VersionView): Observation[] {
    return version.code.flatMap((file) =>
      file.modules
        .filter((m) => EXEC_MODULES.has(m.module))
        .map((m) => ({
          key: `module:${m.module}`,
          file: file.path,
          line: m.line,
          message: `Starts using \`${m.module}\` to run programs.`,
          evidence: m.evidence,
        })),
    )
  },
}
