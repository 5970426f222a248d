// npm run bench:lockfile: parse two package-lock.json v3 files of 5,000
// packages and diff them (50 changes), as `pr` does for every changed lockfile.
// A benchmark, not a test: it prints medians and asserts nothing.
import { importTs } from './import-ts.mjs'

const PACKAGES = Number(process.env.PACKAGES ?? 5000)
const CHANGES = Number(process.env.CHANGES ?? 50)
const ROUNDS = Number(process.env.ROUNDS ?? 15)

const { parseLockfile, diffLockfiles } =
  await importTs(`export { parseLockfile } from './src/scope/lockfiles/index.ts'
export { diffLockfiles } from './src/scope/changes.ts'`)

const before = lockfile(0)
const after = lockfile(CHANGES)
const times = []
let changes = []
for (let i = 0; i < ROUNDS; i++) {
  const start = process.hrtime.bigint()
  changes = diffLockfiles(
    parseLockfile('package-lock.json', before),
    parseLockfile('package-lock.json', after),
  )
  times.push(Number(process.hrtime.bigint() - start) / 1e6)
}
times.sort((a, b) => a - b)
const median = times[Math.floor(times.length / 2)]
console.log(
  `| lockfile | packages | changes found | median ms (${ROUNDS} rounds) | min ms | max ms |`,
)
console.log('|---|---:|---:|---:|---:|---:|')
console.log(
  `| package-lock.json v3, ${(after.length / 1024 / 1024).toFixed(1)} MB | ${PACKAGES} | ${changes.length} | ${median.toFixed(1)} | ${times[0].toFixed(1)} | ${times.at(-1).toFixed(1)} |`,
)

/** A realistic v3 lockfile: scoped and unscoped names, some nested, `bump` of them one patch higher. */
function lockfile(bump) {
  const packages = { '': { name: 'big-app', version: '1.0.0', dependencies: {} } }
  for (let i = 0; i < PACKAGES; i++) {
    const name = i % 7 === 0 ? `@scope${i % 13}/pkg-${i}` : `pkg-${i}`
    const patch = i < bump ? 1 : 0
    const version = `${1 + (i % 5)}.${i % 11}.${patch}`
    const key =
      i % 10 === 0 ? `node_modules/pkg-${i + 1}/node_modules/${name}` : `node_modules/${name}`
    packages[key] = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
      integrity: `sha512-${Buffer.from(`${name}@${version}`).toString('base64').padEnd(86, 'A')}==`,
      dependencies: i % 3 === 0 ? { [`pkg-${(i + 1) % PACKAGES}`]: '^1.0.0' } : undefined,
    }
  }
  return JSON.stringify(
    { name: 'big-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
    null,
    2,
  )
}
