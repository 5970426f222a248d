import { DEVELOPMENT_ONLY_SCRIPTS, INSTALL_SCRIPTS } from '../../knowledge.js'
import { lineOfKey } from '../../lines.js'
import type { Severity } from '../../../schemas.js'
import type { Observation, Rule, VersionView } from '../types.js'

/** Downloads, pipes to a shell, or inline code: what install-time droppers do. */
const DROPPER =
  /\b(?:curl|wget|powershell|iwr|Invoke-WebRequest|nc|ncat|bash -c|sh -c)\b|https?:\/\/|\|\s{0,4}(?:ba)?sh\b|node\s{1,4}-e\b|base64/i

export const rule: Rule = {
  meta: {
    id: 'threat-install-lifecycle-script',
    category: 'install',
    severity: 'high',
    title: 'New or changed install-time script',
    why: 'npm runs install scripts on every machine that installs the package, before anyone runs or reviews it: the favourite entry point of npm malware.',
    remediation:
      'Read the script and everything it runs; install with --ignore-scripts until you trust it.',
  },
  observe(version: VersionView): Observation[] {
    const out: Observation[] = []
    const scripts = version.manifest?.scripts ?? {}
    for (const name of INSTALL_SCRIPTS) {
      const command = scripts[name]
      if (typeof command !== 'string') continue
      out.push({
        key: `${name}=${command}`,
        file: 'package.json',
        line: lineOfKey(version.manifestText, name),
        message: DEVELOPMENT_ONLY_SCRIPTS.has(name)
          ? `The \`${name}\` script runs when the package is installed from git or a checkout (not from a registry): ${command.slice(0, 200)}`
          : `The \`${name}\` script runs at install time: ${command.slice(0, 200)}`,
        evidence: `"${name}": ${JSON.stringify(command.slice(0, 300))}`,
        severity: severityOf(name, DROPPER.test(command.slice(0, 4096))),
      })
    }
    // npm runs `node-gyp rebuild` for a package with binding.gyp and no install script.
    if (version.paths.includes('binding.gyp') && typeof scripts.install !== 'string') {
      out.push({
        key: 'implicit-install=node-gyp rebuild',
        file: 'binding.gyp',
        line: null,
        message:
          'Ships binding.gyp, so npm compiles native code at install time (`node-gyp rebuild`).',
        evidence: 'binding.gyp',
      })
    }
    return out
  },
}

/** `prepare` never runs when a published package is installed from a registry, only from git or a checkout. */
function severityOf(script: string, dropper: boolean): Severity {
  if (DEVELOPMENT_ONLY_SCRIPTS.has(script)) return dropper ? 'high' : 'low'
  return dropper ? 'critical' : 'high'
}
