// How dist/ is bundled (scripts/bundle.mjs), shared with what is bundled the
// same way elsewhere (the bench's fetch floor, the bundle test): esbuild's
// options, and the modules of pacote's that are left out.
// pacote can fetch git and directory specs, run their prepare scripts and
// verify Sigstore signatures; we never let it (parseSpec refuses git and
// directory specs, allowGit/allowDirectory are 'none', and our attestation
// check reads the subject only). The modules that do those things are left
// out of the bundle: a stub that throws in their place, so no code path of
// ours can spawn a process or run a package's script through pacote, and the
// CLI loads ~430 KB less at each start.
export const NOT_BUNDLED = [
  '@npmcli/run-script', // lifecycle scripts (a directory or git spec's prepare)
  '@npmcli/git', // git clone/ls-remote for git specs
  '@npmcli/promise-spawn', // pacote's `npm install` in a git checkout
  'npm-packlist', // packing a directory spec
  'sigstore', // pacote's signature/attestation verification (verifyAttestations)
  // Not a risk, only weight (540 KB): minipass-fetch's textConverted(), which
  // neither pacote nor we call, is its only user.
  'iconv-lite',
]
export const notBundled = {
  name: 'not-bundled',
  setup(b) {
    const filter = new RegExp(`^(${NOT_BUNDLED.map((m) => m.replace('/', '\\/')).join('|')})$`)
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'not-bundled' }))
    b.onLoad({ filter: /.*/, namespace: 'not-bundled' }, (args) => ({
      loader: 'js',
      contents: [
        `const message = ${JSON.stringify(`${args.path} is not part of mcp-diff-review's bundle: git and directory specs, package scripts and Sigstore verification through pacote are never used`)}`,
        'function fail() { throw new Error(message) }',
        "const absent = new Set(['__esModule', 'then', 'default'])",
        'module.exports = new Proxy(fail, {',
        "  get: (_target, key) => (typeof key === 'symbol' || absent.has(key) ? undefined : fail),",
        '  apply: fail,',
        '  construct: fail,',
        '})',
      ].join('\n'),
    }))
  },
}

// ESM output; pacote's dependency tree is CommonJS and uses require(),
// __dirname and __filename at run time, so the banner defines them.
export const banner = {
  js: [
    "import { createRequire as __mdrCreateRequire } from 'node:module';",
    "import { fileURLToPath as __mdrFileURLToPath } from 'node:url';",
    "import { dirname as __mdrDirname } from 'node:path';",
    'const require = __mdrCreateRequire(import.meta.url);',
    'const __filename = __mdrFileURLToPath(import.meta.url);',
    'const __dirname = __mdrDirname(__filename);',
  ].join('\n'),
}

export const bundleOptions = {
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
