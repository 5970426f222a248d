// The analysis stage: facts of both versions, observations of each rule, and
// the findings that are new in the new version.
import type { PackageContents, VersionMetadata } from '../fetch/types.js'
import { ManifestSchema, type Finding, type Manifest } from '../schemas.js'
import { decodeText, hashBytes } from '../diff/text.js'
import type { FileFacts } from './facts.js'
import { isCodeFile, referencedScripts } from './parse.js'
import { analyseFile } from './pool-protocol.js'
import type { FactsAnalyser } from './pool.js'
import type { Observation, Rule, VersionView } from './rules/types.js'

/**
 * Facts of identical files are computed once, in the old and the new version
 * and wherever the file moved: keyed by content hash and extension (the only
 * part of the path the parser looks at), the path re-attached on a hit.
 */
export type FactsCache = Map<string, FileFacts>

export function buildVersionView(
  contents: PackageContents,
  cache: FactsCache = new Map(),
  /** FetchedPackage.metadata: the registry's view of the version. */
  metadata: VersionMetadata | null = null,
): VersionView {
  const { manifestText, manifest } = manifestOf(contents)
  const code: FileFacts[] = []
  for (const [path, bytes] of codeFiles(contents.files, manifest)) {
    const key = factsKey(path, bytes)
    let facts = cache.get(key)
    if (!facts) {
      facts = analyseFile(path, bytes)
      cache.set(key, facts)
    }
    code.push(facts.path === path ? facts : { ...facts, path })
  }
  return {
    code,
    manifest,
    manifestText,
    paths: [...contents.files.keys()],
    archiveIssues: contents.archiveIssues,
    metadata,
  }
}

/** Analyses under way or done, by file content (see factsKey). */
export type StartedFacts = Map<string, Promise<FileFacts>>

/**
 * Sends every code file of a version not yet started to `analyser` (worker
 * threads), largest first, so that one big bundle does not start last and
 * leave the other workers idle. Called as each version arrives, so the first
 * one is analysed while the second downloads.
 */
export function startFacts(
  contents: PackageContents,
  analyser: FactsAnalyser,
  started: StartedFacts,
): void {
  const jobs = new Map<string, { path: string; bytes: Uint8Array }>()
  for (const [path, bytes] of codeFiles(contents.files, manifestOf(contents).manifest)) {
    const key = factsKey(path, bytes)
    if (!started.has(key) && !jobs.has(key)) jobs.set(key, { path, bytes })
  }
  const ordered = [...jobs].sort(([, a], [, b]) => b.bytes.length - a.bytes.length)
  for (const [key, { path, bytes }] of ordered) started.set(key, analyser.analyse(path, bytes))
}

/** The facts of every code file of the given versions, each distinct file once. */
export async function collectAllFacts(
  versions: Array<PackageContents | null>,
  analyser: FactsAnalyser,
  started: StartedFacts = new Map(),
): Promise<FactsCache> {
  for (const contents of versions) if (contents) startFacts(contents, analyser, started)
  const cache: FactsCache = new Map()
  await Promise.all(
    [...started].map(async ([key, facts]) => {
      cache.set(key, await facts)
    }),
  )
  return cache
}

/** The first file of a version whose analysis did not finish, and why. */
export function incompleteAnalysis(view: VersionView | null): string | null {
  const file = view?.code.find((f) => f.incomplete)
  return file ? `${file.path}: ${file.incomplete}` : null
}

/** Code files: by extension, and `"bin": "cli"` or `"postinstall": "node setup"` without one. */
function* codeFiles(
  files: Map<string, Uint8Array>,
  manifest: Manifest | null,
): Generator<[string, Uint8Array]> {
  const referenced = referencedScripts(manifest)
  for (const [path, bytes] of files)
    if (isCodeFile(path) || referenced.has(path)) yield [path, bytes]
}

/** Content hash and extension, the only part of the path the parser looks at. */
function factsKey(path: string, bytes: Uint8Array): string {
  return `${hashBytes(bytes)}:${extensionOf(path)}`
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  return name.includes('.') ? name.slice(name.lastIndexOf('.')).toLowerCase() : ''
}

function manifestOf(contents: PackageContents): {
  manifestText: string
  manifest: Manifest | null
} {
  const bytes = contents.files.get('package.json')
  const manifestText = bytes ? decodeText(bytes) : ''
  return { manifestText, manifest: parseManifest(manifestText) }
}

function parseManifest(text: string): Manifest | null {
  if (!text) return null
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Findings for what the new version does and the old one did not. */
export function findNewFindings(
  rules: Rule[],
  before: VersionView | null,
  after: VersionView,
): Finding[] {
  const findings: Finding[] = []
  for (const rule of rules) {
    const known = new Set(before ? rule.observe(before).map((o) => o.key) : [])
    // One finding per new thing, at its first place; the count says where else.
    const fresh = new Map<string, { first: Observation; more: number }>()
    const observed =
      before && rule.observeChange ? rule.observeChange(before, after) : rule.observe(after)
    for (const o of observed) {
      if (known.has(o.key)) continue
      const seen = fresh.get(o.key)
      if (seen) seen.more++
      else fresh.set(o.key, { first: o, more: 0 })
    }
    for (const { first: o, more } of fresh.values()) {
      findings.push({
        ruleId: rule.meta.id,
        category: rule.meta.category,
        severity: o.severity ?? rule.meta.severity,
        file: o.file,
        line: o.line,
        message: more ? `${o.message} (and ${more} more place${more > 1 ? 's' : ''})` : o.message,
        evidence: o.evidence,
        subject: o.key,
        why: rule.meta.why,
      })
    }
  }
  return findings
}
