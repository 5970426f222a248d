// What the bundles leave out: pacote's modules that run scripts, spawn git or
// verify Sigstore signatures are replaced by a stub that throws
// (scripts/bundle-options.mjs). The stub is built here with the same plugin and
// run under Node, as the bundle would run it.
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
// @ts-expect-error: a build script in plain JavaScript, without types
import { NOT_BUNDLED, notBundled } from '../../scripts/bundle-options.mjs'

const modules = NOT_BUNDLED as string[]

test.each(['dist/index.js', 'dist/cli.js'])(
  '%s has no code of the left-out modules',
  async (file) => {
    const text = await readFile(join(process.cwd(), file), 'utf8')
    for (const name of modules) {
      // esbuild marks each bundled file with its path, and each stub with its namespace.
      expect(text).not.toContain(`// node_modules/${name}/`)
      expect(text).toContain(`// not-bundled:${name}\n`)
    }
    // Nor the Sigstore libraries only sigstore pulled in.
    expect(text).not.toMatch(/\/\/ node_modules\/(@sigstore|@tufjs|tuf-js)\//)
  },
)

test('a left-out module loads, and throws a clear error when used', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'not-bundled-'))
  try {
    const entry = join(dir, 'entry.cjs')
    await writeFile(
      entry,
      [
        "const runScript = require('@npmcli/run-script')",
        "const sigstore = require('sigstore')",
        'const tries = [() => runScript({ event: "prepare" }), () => sigstore.verify({}), () => new runScript()]',
        'for (const t of tries) { try { t(); console.log("ran") } catch (e) { console.log(e.message) } }',
      ].join('\n'),
    )
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      outfile: join(dir, 'out.cjs'),
      plugins: [notBundled],
      logLevel: 'silent',
    })
    const run = spawnSync(process.execPath, [join(dir, 'out.cjs')], { encoding: 'utf8' })
    expect(run.status).toBe(0)
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^@npmcli\/run-script is not part of mcp-diff-review's bundle/),
      expect.stringMatching(/^sigstore is not part of mcp-diff-review's bundle/),
      expect.stringMatching(/^@npmcli\/run-script is not part of mcp-diff-review's bundle/),
    ])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
