import type { Observation, Rule, VersionView } from '../types.js'
import { MANIFEST, binsOf, clip, lineOfKey } from './registry-facts.js'

/**
 * Commands a package's bin could shadow once its directory is on PATH
 * (node_modules/.bin in npm scripts, a global install): shells, package
 * managers, and the tools CI and developers call with credentials at hand.
 */
const SHADOWED_COMMANDS = new Set([
  'node',
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'corepack',
  'git',
  'gh',
  'ssh',
  'scp',
  'curl',
  'wget',
  'sh',
  'bash',
  'zsh',
  'env',
  'sudo',
  'python',
  'python3',
  'pip',
  'docker',
  'kubectl',
  'aws',
  'gcloud',
  'az',
  'tsc',
  'make',
  'ls',
  'cat',
  'cp',
  'mv',
  'rm',
])

export const rule: Rule = {
  meta: {
    id: 'cap-metadata-new-bin',
    category: 'metadata',
    severity: 'low',
    title: 'New command (bin entry)',
    why: 'A bin entry puts a command on PATH when the package is installed; one named like a common tool runs instead of it in npm scripts.',
    remediation:
      'Check what the new command runs, and that its name does not shadow a tool you use.',
  },
  observe(version: VersionView): Observation[] {
    // What the registry serves and what the tarball says can differ; npm
    // links the tarball's, so both count.
    const bins = { ...version.metadata?.bin, ...binsOf(version.manifest) }
    return Object.entries(bins).map(([name, target]) => {
      const shadows = SHADOWED_COMMANDS.has(name.toLowerCase())
      return {
        key: `bin:${name}`,
        file: MANIFEST,
        line: lineOfKey(version.manifestText, 'bin'),
        message:
          `Installs the command \`${clip(name, 80)}\` (runs ${clip(target, 120)})` +
          (shadows ? ', named like a common tool it would shadow.' : '.'),
        evidence: `"bin": { ${JSON.stringify(clip(name, 80))}: ${JSON.stringify(clip(target, 120))} }`,
        severity: shadows ? 'high' : 'low',
      }
    })
  },
}
