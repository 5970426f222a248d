// npm run docs: writes docs/rules.md from the rule registry.
import { mkdirSync, writeFileSync } from 'node:fs'
import { importTs } from './import-ts.mjs'

const { doc } = await importTs(`
import { loadRules } from './src/analysis/rules/registry.ts'
import { renderRulesDoc } from './src/render/rules-doc.ts'
import { UNPINNED_RULE } from './src/scope/unpinned.ts'
import { FOREIGN_RESOLVED_RULE } from './src/scope/resolved.ts'
export const doc = renderRulesDoc([...loadRules().map((r) => r.meta), UNPINNED_RULE, FOREIGN_RESOLVED_RULE])
`)
mkdirSync('docs', { recursive: true })
writeFileSync('docs/rules.md', doc)
