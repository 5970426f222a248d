// Imports TypeScript sources from a script: the entry is bundled in memory with
// esbuild into a temp file, imported, and the file removed. Used by the docs,
// eval and benchmark scripts, which run plain Node without a TS loader.
import { build } from 'esbuild'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** @param {string} entry TypeScript source importing from ./src/... @param {string} [resolveDir] */
export async function importTs(entry, resolveDir = process.cwd()) {
  const work = mkdtempSync(join(tmpdir(), 'mcp-diff-review-ts-'))
  try {
    const out = join(work, 'entry.mjs')
    await build({
      stdin: { contents: entry, resolveDir, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      logLevel: 'warning',
      // As in scripts/bundle.mjs: ESM entry points first (jsonc-parser), and
      // require() for the CommonJS packages (npm-package-arg, pacote).
      mainFields: ['module', 'main'],
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    })
    return await import(pathToFileURL(out).href)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
