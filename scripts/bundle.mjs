// Bundles the action (dist/index.js), the CLI (dist/cli.js) and the analysis
// worker both start (dist/analysis-worker.js).
// The options, shared with the bench and the bundle test, are in bundle-options.mjs.
import { build } from 'esbuild'
import { banner, bundleOptions } from './bundle-options.mjs'

// dist/ is overwritten in place, never emptied first: tests and tools may be running it.
await build({ ...bundleOptions, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' })
await build({
  ...bundleOptions,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node\n' + banner.js },
})
// The analysis worker that dist/index.js and dist/cli.js start (src/analysis/pool.ts).
await build({
  ...bundleOptions,
  entryPoints: ['src/analysis/worker.ts'],
  outfile: 'dist/analysis-worker.js',
})
