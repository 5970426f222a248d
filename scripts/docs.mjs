// npm run docs: writes docs/rules.md from the rule registry.
// The registry is TypeScript, so it is bundled in memory with esbuild first.
import { build } from 'esbuild'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const entry = `
import { loadRules } from './src/analysis/rules/registry.ts'
import { renderRulesDoc } from './src/render/rules-doc.ts'
import { UNPINNED_RULE } from './src/scope/unpinned.ts'
import { FOREIGN_RESOLVED_RULE } from './src/scope/resolved.ts'
export const doc = renderRulesDoc([...loadRules().map((r) => r.meta), UNPINNED_RULE, FOREIGN_RESOLVED_RULE])
`
const work = mkdtempSync(join(tmpdir(), 'mcp-diff-review-docs-'))
try {
  const out = join(work, 'docs.mjs')
  await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'warning',
    // Some rules use CommonJS packages (npm-package-arg), which call require().
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  })
  const { doc } = await import(pathToFileURL(out).href)
  mkdirSync('docs', { recursive: true })
  writeFileSync('docs/rules.md', doc)
} finally {
  rmSync(work, { recursive: true, force: true })
}
