import type { Observation, Rule, VersionView } from '../types.js'

export const rule: Rule = {
  meta: {
    id: 'cap-obfuscation-unparsed-file',
    category: 'obfuscation',
    severity: 'low',
    title: 'Code file that could not be parsed',
    why: 'A file the parser rejects (or too large to parse) is only scanned for strings and names here, so capabilities hidden in its structure can be missed.',
    remediation: 'Look at the file by hand, or check that it is not loaded at run time.',
  },
  observe(version: VersionView): Observation[] {
    return version.code
      .filter((file) => !file.parsed)
      .map((file) => ({
        key: `unparsed:${file.path}`,
        file: file.path,
        line: null,
        message:
          'Could not be parsed as JavaScript or TypeScript; it was scanned for strings and names only.',
        evidence: file.path,
      }))
  },
}
