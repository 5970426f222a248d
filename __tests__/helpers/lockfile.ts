// A package-lock.json (v3) for tests, its packages pointing at a test registry.
import type { Published } from './verdaccio.js'

export interface LockEntry {
  name: string
  version: string
  published: Published
  dependencies?: Record<string, string>
}

export function npmLockfileV3(entries: LockEntry[]): string {
  const packages: Record<string, object> = {
    '': {
      name: 'agent-app',
      version: '1.0.0',
      dependencies: Object.fromEntries(entries.map((e) => [e.name, e.version])),
    },
  }
  for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    packages[`node_modules/${e.name}`] = {
      version: e.version,
      resolved: e.published.tarball,
      integrity: e.published.integrity,
      ...(e.dependencies ? { dependencies: e.dependencies } : {}),
    }
  }
  return (
    JSON.stringify(
      { name: 'agent-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
      null,
      2,
    ) + '\n'
  )
}

/** 1-based line of `"node_modules/<name>"` in a lockfile's text. */
export function lineOfEntry(lockfile: string, name: string): number {
  return lockfile.split('\n').findIndex((l) => l.includes(`"node_modules/${name}"`)) + 1
}
