// The least any review of a pair must do, for `npm run bench`: start Node
// with pacote bundled as dist/ bundles it, read the package document
// (revalidated, in full, as the review reads it) and both tarballs from the
// warm cache. No analysis, no diff, no dependency documents. bench.mjs
// bundles this file and runs it next to the review and `npm diff`: its time
// is a floor the review cannot go under.
//
// Usage (bundled): node floor.mjs <spec-a> <spec-b> <cache-dir>
import pacote from 'pacote'

const [a, b, cache] = process.argv.slice(2)
const opts = { cache, preferOnline: true, fullMetadata: true, packumentCache: new Map() }
await Promise.all(
  [a, b].map(async (spec) => {
    const manifest = await pacote.manifest(spec, opts)
    const tarball = await pacote.tarball(spec, {
      ...opts,
      preferOnline: false,
      resolved: manifest._resolved,
      integrity: manifest._integrity,
    })
    if (tarball.length === 0) throw new Error(`${spec}: empty tarball`)
  }),
)
