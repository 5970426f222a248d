// Specs built from a lockfile or config must name a registry package and
// nothing else: a name like `../x`, `/etc/passwd` or `github:a/b` from a PR
// would otherwise make us read local files or clone and build a repository.
import { ReviewError } from '../errors.js'
import { parseSpec } from '../fetch/spec.js'

export function registrySpec(name: string, version: string): string {
  const spec = `${name}@${version}`
  const parsed = (() => {
    try {
      return parseSpec(spec)
    } catch {
      return null
    }
  })()
  if (!parsed || parsed.kind !== 'registry' || parsed.name !== name) {
    throw new ReviewError(
      'ESPEC',
      `${JSON.stringify(spec.slice(0, 200))} from the pull request is not a registry package spec; it was not fetched`,
    )
  }
  return spec
}
