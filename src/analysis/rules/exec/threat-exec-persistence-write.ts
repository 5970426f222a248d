import type { PersistenceKind } from '../../knowledge.js'
import type { Observation, Rule, VersionView } from '../types.js'
import { excerpt, withValue } from '../evidence.js'

const WHAT: Record<PersistenceKind, string> = {
  'shell-profile': 'a shell start-up file, which runs in every new terminal',
  'ci-workflow': 'a CI workflow, which runs with the repository\u2019s secrets',
  'other-package': 'another installed package, whose code others load',
  startup: 'an autostart location, which runs at login or on a schedule',
  'agent-config':
    'an AI agent\u2019s configuration, which lists the servers and commands it starts',
}

export const rule: Rule = {
  meta: {
    id: 'threat-exec-persistence-write',
    category: 'exec',
    severity: 'high',
    title: 'Writes where code runs later',
    why: 'Writing to shell profiles, CI workflows, other packages, autostart folders or agent configs makes code run again later, outside the server, which is how malware persists and spreads.',
    remediation: 'Do not install this version until you know why it changes files outside its own.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const file of version.code) {
      for (const w of file.writes) {
        out.push({
          key: `${w.kind}:${w.path}`,
          file: file.path,
          line: w.line,
          message: `Writes \`${excerpt(w.path, 120)}\`: ${WHAT[w.kind]}.`,
          evidence: withValue(w.evidence, w.path),
        })
      }
    }
    return out
  },
}
