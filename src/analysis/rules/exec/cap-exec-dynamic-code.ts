import type { Observation, Rule, VersionView } from '../types.js'
import type { DynamicCodeKind } from '../../facts.js'

const DESCRIPTIONS: Record<DynamicCodeKind, string> = {
  eval: 'Calls `eval`: runs a string as code.',
  Function: 'Calls the `Function` constructor: runs a string as code.',
  'string-timer': 'Passes a string to a timer: runs it as code.',
  'computed-require': 'Requires a module whose name is computed at run time.',
  'computed-import': 'Imports a module whose name is computed at run time.',
}

export const rule: Rule = {
  meta: {
    id: 'cap-exec-dynamic-code',
    category: 'exec',
    severity: 'high',
    title: 'New dynamic code execution',
    why: 'Code built from strings at run time cannot be reviewed here, and it is how downloaded or decoded payloads are run.',
    remediation:
      'Find where the executed string comes from; refuse the update if it is fetched or decoded.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const file of version.code) {
      for (const d of file.dynamicCode) {
        out.push({
          key: d.kind,
          file: file.path,
          line: d.line,
          message: DESCRIPTIONS[d.kind],
          evidence: d.evidence,
        })
      }
      for (const m of file.modules.filter((mod) => mod.module === 'vm')) {
        out.push({
          key: 'module:vm',
          file: file.path,
          line: m.line,
          message: 'Starts using the `vm` module to compile and run code.',
          evidence: m.evidence,
          severity: 'medium',
        })
      }
    }
    return out
  },
}
