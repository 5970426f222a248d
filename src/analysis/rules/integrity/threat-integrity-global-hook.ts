import { HOOKABLE_GLOBALS } from '../../knowledge.js'
import type { Observation, Rule, VersionView } from '../types.js'

export const rule: Rule = {
  meta: {
    id: 'threat-integrity-global-hook',
    category: 'integrity',
    severity: 'high',
    title: 'Replaces a global that other code relies on',
    why: 'Replacing fetch, XMLHttpRequest, https.request or the module loader lets a package read or alter every request and every module of the process, including other servers\u2019 secrets.',
    remediation: 'Read the replacement; refuse the update unless it only adds a missing polyfill.',
  },
  observe(version: VersionView): Observation[] {
    return version.code.flatMap((file) =>
      file.hooks.map((h) => {
        const name = h.target.slice(h.target.lastIndexOf('.') + 1)
        // Wrapping fetch has ordinary uses (proxies, compression options in web frameworks);
        // what the wrapper does with the requests is reported as a flow when it sends them on.
        const networkGlobal = HOOKABLE_GLOBALS.has(name) && !h.target.includes('prototype')
        return {
          key: h.target,
          file: file.path,
          line: h.line,
          message: h.wraps
            ? `Wraps \`${h.target}\`: every caller in the process now goes through this code, which sees what they send.`
            : `Replaces \`${h.target}\` with its own implementation: every caller in the process now goes through this code.`,
          evidence: h.evidence,
          ...(networkGlobal ? { severity: 'medium' as const } : {}),
        }
      }),
    )
  },
}
