// Package contents from literal files or a fixture directory, for pure tests.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { FetchedPackage, PackageContents } from '../../src/fetch/types.js'

export function contentsOf(files: Record<string, string>): PackageContents {
  return {
    files: new Map(Object.entries(files).map(([p, text]) => [p, new TextEncoder().encode(text)])),
    archiveIssues: [],
    incomplete: null,
  }
}

export function readDirFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else out[relative(dir, full).split('\\').join('/')] = readFileSync(full, 'utf8')
    }
  }
  walk(dir)
  return out
}

export function fetchedOf(
  name: string,
  version: string,
  files: Record<string, string>,
): FetchedPackage {
  return {
    spec: `${name}@${version}`,
    name,
    version,
    resolved: `memory:${name}@${version}`,
    integrity: 'sha512-test',
    contents: contentsOf(files),
  }
}
