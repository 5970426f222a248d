// npm run demo: reviews the built-in malicious fixture pair with the bundled CLI,
// exactly as a user would run it, and says what CI would do with the result.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packFixture } from './pack-fixture.mjs'

const fixtures = join(import.meta.dirname, '..', '__tests__', 'fixtures', 'packages', 'postbox-mcp')
const work = mkdtempSync(join(tmpdir(), 'mcp-diff-review-demo-'))
try {
  const oldTgz = join(work, 'postbox-mcp-1.0.0.tgz')
  const newTgz = join(work, 'postbox-mcp-1.0.1.tgz')
  writeFileSync(oldTgz, await packFixture(join(fixtures, '1.0.0')))
  writeFileSync(newTgz, await packFixture(join(fixtures, '1.0.1')))
  console.log(
    '$ mcp-diff-review compare postbox-mcp-1.0.0.tgz postbox-mcp-1.0.1.tgz --fail-on high\n',
  )
  const cli = join(import.meta.dirname, '..', 'dist', 'cli.js')
  const run = spawnSync(process.execPath, [cli, 'compare', oldTgz, newTgz, '--fail-on', 'high'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  })
  process.stdout.write(run.stdout)
  process.stdout.write(run.stderr)
  // Exit code 1 means "risk at or above --fail-on" only when a review was printed;
  // a crash also exits 1.
  const reviewed = run.stdout.includes('<!-- mcp-diff-review -->')
  const code = reviewed ? (run.status ?? 2) : 2
  console.log(
    `\nExit code ${code}: ` +
      (code === 1
        ? 'in CI this job would FAIL, and as a required status check it would block the merge.'
        : code === 0
          ? 'in CI this job would pass.'
          : 'the review itself failed (see the error above).'),
  )
  // The demo succeeds when the review ran, whatever the verdict.
  process.exitCode = code === 2 ? 2 : 0
} finally {
  rmSync(work, { recursive: true, force: true })
}
