// Packs a fixture package directory into an npm-style .tgz in memory, the way
// `npm pack` lays it out (every entry under `package/`), reproducibly.
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { create } from 'tar'

/** @param {string} dir @returns {Promise<Buffer>} */
export async function packFixture(dir) {
  const files = listFiles(dir)
  const chunks = []
  const stream = create(
    { gzip: true, cwd: dir, prefix: 'package', portable: true, mtime: new Date(0) },
    files,
  )
  for await (const chunk of stream) chunks.push(chunk)
  return Buffer.concat(chunks)
}

function listFiles(dir, base = dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name)
      return statSync(full).isDirectory() ? listFiles(full, base) : [relative(base, full)]
    })
}
