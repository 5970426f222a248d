// docs/rules.md, generated from the rule registry (npm run docs; CI checks it is fresh).
import type { RuleMeta } from '../schemas.js'

export function renderRulesDoc(rules: RuleMeta[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const rows = [...rules]
    .sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id))
    .map(
      (meta) =>
        `| \`${meta.id}\` | ${meta.category} | ${meta.severity} | ${cell(meta.title)} | ${cell(meta.why)} | ${cell(meta.remediation)} |`,
    )
  return [
    '# Rules',
    '',
    '<!-- Generated from src/analysis/rules by `npm run docs`. Do not edit by hand. -->',
    '',
    'Each rule reports what the **new** version does that the old version did not: an observation the old version',
    'already had (the same host, module, recipient, script) is not reported again, wherever it moved to.',
    'Ids are `<kind>-<category>-<detail>`: `cap` rules report a new capability, `threat` rules a pattern of attack.',
    'The severity is the default; a rule may raise or lower it for one finding (e.g. a host passed to a network call',
    'is medium, a host only named in a message is low). A package\u2019s risk is its highest finding, raised to',
    'critical when secrets, process execution or install scripts arrive together with new network code.',
    '',
    '| Rule | Category | Severity | Title | Why it matters | What to do |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n')
}
