import type { Observation, Rule, VersionView } from '../types.js'

export const rule: Rule = {
  meta: {
    id: 'threat-exec-remote-code',
    category: 'exec',
    severity: 'critical',
    title: 'Runs code downloaded at run time',
    why: 'Code fetched from the network and then evaluated or executed is never in the package you review: whoever controls the server decides what runs, and can change it at any time.',
    remediation:
      'Do not install this version; pin the previous one and report the package to the registry.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    for (const file of version.code) {
      // A downloaded file is code only when the same file also runs a program or a computed module.
      const runs =
        file.execs.length > 0 ||
        file.dynamicCode.some((d) => d.kind === 'computed-require' || d.kind === 'computed-import')
      for (const f of file.flows) {
        if (f.source !== 'network') continue
        if (f.sink === 'file-write' && !runs) continue
        const what =
          f.sink === 'code'
            ? `evaluates it (\`${f.via}\`)`
            : f.sink === 'exec'
              ? `runs it as a command (\`${f.via}\`)`
              : `writes it to a file (\`${f.via}\`) in a file that also runs programs or loads modules by computed name`
        out.push({
          key: f.sink,
          file: file.path,
          line: f.line,
          message: `Downloads content and ${what}.`,
          evidence: f.evidence,
        })
      }
    }
    return out
  },
}
