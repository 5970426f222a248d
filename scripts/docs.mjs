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
export const doc = renderRulesDoc(loadRules())
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
  })
  const { doc } = await import(pathToFileURL(out).href)
  mkdirSync('docs', { recursive: true })
  writeFileSync('docs/rules.md', doc)
} finally {
  rmSync(work, { recursive: true, force: true })
}
