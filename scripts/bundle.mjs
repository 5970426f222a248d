// Bundles the action (dist/index.js), the CLI (dist/cli.js) and the analysis
// worker both start (dist/analysis-worker.js).
// ESM output; pacote's dependency tree is CommonJS and uses require(),
// __dirname and __filename at run time, so the banner defines them.
import { build } from 'esbuild'
import { notBundled } from './not-bundled.mjs'

// dist/ is overwritten in place, never emptied first: tests and tools may be running it.
const banner = {
  js: [
    "import { createRequire as __mdrCreateRequire } from 'node:module';",
    "import { fileURLToPath as __mdrFileURLToPath } from 'node:url';",
    "import { dirname as __mdrDirname } from 'node:path';",
    'const require = __mdrCreateRequire(import.meta.url);',
    'const __filename = __mdrFileURLToPath(import.meta.url);',
    'const __dirname = __mdrDirname(__filename);',
  ].join('\n'),
}

const common = {
  bundle: true,
  plugins: [notBundled],
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: false,
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  banner,
  logLevel: 'warning',
  // ESM builds first: jsonc-parser's CommonJS entry is a UMD wrapper whose
  // require() calls esbuild cannot follow.
  mainFields: ['module', 'main'],
}
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' })
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node\n' + banner.js },
})
// The analysis worker that dist/index.js and dist/cli.js start (src/analysis/pool.ts).
await build({
  ...common,
  entryPoints: ['src/analysis/worker.ts'],
  outfile: 'dist/analysis-worker.js',
})
