// yarn.lock v1 (Yarn classic), read by Yarn's own parser (@yarnpkg/lockfile),
// so an entry means here what it means to `yarn install`.
//
// That parser trusts its input, so before it runs we replay its tokenizer
// (same branches, same order) to refuse what would make it loop forever (a
// string without its closing quote), throw without a position (odd
// indentation) or recurse without bound (deep indentation), and to map its
// line numbers, which skip blank lines, back to real ones. After it runs we
// check that it read every entry: on a mis-indented line it stops early and
// returns what it has, silently.
//
// One entry lists every descriptor that resolved to it (`zod@^3.22.0, zod@^3.23.8`);
// its location is that list, sorted and joined by ", ". Adding a range to an
// entry changes its location; the diff then pairs it by version instead.
// Duplicate descriptors are refused; duplicate fields inside an entry are
// last-wins, as in Yarn.
import { parse } from '@yarnpkg/lockfile'
import { z } from 'zod'
import type { Lockfile } from '../types.js'
import {
  checkEntryCount,
  checkName,
  checkVersion,
  compareText,
  DependencyMapSchema,
  dependencyNames,
  fail,
  finishLockfile,
  LIMITS,
  messageOf,
  type PackageEntry,
  type ParseContext,
  parseShape,
  quote,
  splitAtVersion,
  stripBom,
} from './common.js'

const EntrySchema = z.object({
  version: z.string(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  dependencies: DependencyMapSchema.optional(),
  optionalDependencies: DependencyMapSchema.optional(),
})

// Yarn's own test for a conflicted lockfile (hasMergeConflicts).
const CONFLICT_MARKERS = ['<<<<<<<', '=======', '>>>>>>>'] as const

export function parseYarnClassicLockfile(path: string, text: string): Lockfile {
  const ctx: ParseContext = { path, tool: 'yarn' }
  // Yarn's comment scan runs to the next newline, so there must be one.
  const stripped = stripBom(text)
  const body = stripped.endsWith('\n') ? stripped : stripped + '\n'
  if (body.trim() === '') fail(ctx, 1, 'the file is empty')
  refuseConflicts(ctx, body)
  const lines = replayTokenizer(ctx, body)
  const keyLines = findKeyLines(ctx, body)
  checkEntryCount(ctx, keyLines.size)
  const object = runParser(ctx, body, lines)

  // Yarn gives every descriptor of an entry the same object: group by it.
  const descriptors = Object.keys(object)
  checkEntryCount(ctx, descriptors.length)
  const groups = new Map<object, string[]>()
  for (const descriptor of descriptors) {
    const entry: unknown = object[descriptor]
    if (typeof entry !== 'object' || entry === null) {
      fail(ctx, keyLines.get(descriptor) ?? null, `entry ${quote(descriptor)} is not a mapping`)
    }
    const group = groups.get(entry)
    if (group) group.push(descriptor)
    else groups.set(entry, [descriptor])
  }
  for (const [descriptor, line] of keyLines) {
    if (!Object.hasOwn(object, descriptor)) {
      fail(
        ctx,
        line,
        `Yarn's parser stopped before entry ${quote(descriptor)} (check the indentation above it)`,
      )
    }
  }

  const entries: PackageEntry[] = []
  for (const [value, group] of groups) {
    group.sort(compareText)
    const lines = group.map((d) => keyLines.get(d)).filter((l) => l !== undefined)
    const line = lines.length > 0 ? lines.reduce((a, b) => Math.min(a, b)) : null
    entries.push(readEntry(ctx, value, group, group.join(', '), line))
  }
  return finishLockfile(ctx, 'yarn-classic', entries)
}

function readEntry(
  ctx: ParseContext,
  value: object,
  descriptors: string[],
  location: string,
  line: number | null,
): PackageEntry {
  const what = `entry ${quote(location)}`
  const entry = parseShape(ctx, line, what, EntrySchema, value)
  const names = new Set(descriptors.map((d) => descriptorName(ctx, line, d)))
  if (names.size !== 1) fail(ctx, line, `${what} lists descriptors of different packages`)
  const [name = ''] = names
  return {
    name: checkName(ctx, line, name),
    version: checkVersion(ctx, line, entry.version),
    resolved: entry.resolved ?? null,
    integrity: entry.integrity ?? null,
    location,
    line,
    dependencies: dependencyNames(entry.dependencies, entry.optionalDependencies),
  }
}

/** The package a descriptor installs: `a@^1` → a; `alias@npm:real@^1` → real. */
function descriptorName(ctx: ParseContext, line: number | null, descriptor: string): string {
  const split = splitAtVersion(descriptor)
  if (!split) fail(ctx, line, `descriptor ${quote(descriptor)} has no range`)
  if (!split.rest.startsWith('npm:')) return split.name
  const real = splitAtVersion(split.rest.slice('npm:'.length))
  return real ? checkName(ctx, line, real.name) : split.name
}

function refuseConflicts(ctx: ParseContext, text: string): void {
  if (!CONFLICT_MARKERS.every((marker) => text.includes(marker))) return
  const offset = text.indexOf(CONFLICT_MARKERS[0])
  fail(ctx, lineOfOffset(text, offset), 'unresolved merge conflict markers')
}

function runParser(ctx: ParseContext, text: string, lines: YarnLines): Record<string, unknown> {
  let result: ReturnType<typeof parse>
  try {
    result = parse(text, ctx.path)
  } catch (err) {
    // "Invalid value type 3:0 in yarn.lock": Yarn's line and column.
    const message = messageOf(err)
    const position = /\s(\d+):(\d+) in /.exec(message)
    const what = message.replace(/(: \{.*\})?\s+\d+:\d+ in .*$/, '')
    fail(
      ctx,
      position ? realLine(lines, Number(position[1]), Number(position[2])) : null,
      `Yarn cannot parse it: ${what}`,
      err,
    )
  }
  if (result.type !== 'success') fail(ctx, null, 'unresolved merge conflict markers')
  return result.object as Record<string, unknown>
}

/** Real lines for Yarn's line numbers, which skip blank lines. */
interface YarnLines {
  /** Where the tokens of each Yarn line start. */
  starts: number[]
  /** Which line the newline token that opened each Yarn line ended. */
  ends: number[]
}

/**
 * The real line of a Yarn position. Yarn gives a newline token the next line's
 * number and column 0, and every other token a column of 1 or more; an error at
 * a newline token is about the line it ends.
 */
function realLine(lines: YarnLines, yarnLine: number, column: number): number | null {
  const line = column === 0 && yarnLine > 1 ? lines.ends[yarnLine] : lines.starts[yarnLine]
  return line ?? null
}

/**
 * Replays the tokenizer of @yarnpkg/lockfile 1.1.0 (`tokenise` in
 * src/lockfile/parse.js) without building tokens: fails where Yarn would hang
 * or throw without a position, and maps its line numbers to real ones.
 */
function replayTokenizer(ctx: ParseContext, text: string): YarnLines {
  const lines: YarnLines = { starts: [1, 1], ends: [1, 1] }
  let yarnLine = 1
  let line = 1
  let lastNewline = false
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ''
    let chop: number
    if (c === '\n' || c === '\r') {
      // Yarn takes "\n\n" as one newline too: its line numbers skip blank lines.
      chop = text[i + 1] === '\n' ? 2 : 1
      yarnLine++
      lines.ends[yarnLine] = line
      lines.starts[yarnLine] = line + countNewlines(text, i, i + chop)
    } else if (c === '#') {
      chop = text.indexOf('\n', i + 1) - i // the text ends with "\n"
    } else if (c === ' ' && lastNewline) {
      let spaces = 0
      while (text[i + spaces] === ' ') spaces++
      if (spaces % 2 !== 0) fail(ctx, line, 'indentation by an odd number of spaces')
      if (spaces / 2 > LIMITS.maxYarnIndent) {
        fail(ctx, line, `indented deeper than ${LIMITS.maxYarnIndent} levels`)
      }
      chop = spaces
    } else if (c === ' ' || c === ':' || c === ',') {
      chop = 1
    } else if (c === '"') {
      chop = stringLength(text, i)
      if (chop < 0) fail(ctx, line, 'a string without its closing quote')
    } else if (c >= '0' && c <= '9') {
      chop = 1
      while (/[0-9]/.test(text[i + chop] ?? '')) chop++
    } else if (text.startsWith('true', i)) {
      chop = 4
    } else if (text.startsWith('false', i)) {
      chop = 5
    } else if (/[a-zA-Z/-]/.test(c)) {
      chop = 1
      while (i + chop < text.length && !':\n\r, '.includes(text[i + chop] ?? '')) chop++
    } else {
      // Yarn emits INVALID tokens from here on; its parser throws at the first
      // one or has already returned, so nothing after this point is read.
      return lines
    }
    line += countNewlines(text, i, i + chop)
    lastNewline = c === '\n' || (c === '\r' && text[i + 1] === '\n')
    i += chop
  }
  return lines
}

/**
 * Length of the string token at `start`, Yarn's way (a quote after a single
 * backslash is escaped); -1 when it never ends, where Yarn would loop forever.
 */
function stringLength(text: string, start: number): number {
  for (let from = start + 1; ;) {
    const q = text.indexOf('"', from)
    if (q < 0) return -1
    const escaped = text[q - 1] === '\\' && q - 2 >= start && text[q - 2] !== '\\'
    if (!escaped) return q - start + 1
    from = q + 1
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++
  return count
}

function lineOfOffset(text: string, offset: number): number {
  return countNewlines(text, 0, offset) + 1
}

/**
 * The line of every top-level descriptor. Top-level lines are entry keys:
 * `a@^1, "@s/b@^2":`. Fails on a descriptor listed twice.
 */
function findKeyLines(ctx: ParseContext, text: string): Map<string, number> {
  const lines = new Map<string, number>()
  let line = 0
  for (const raw of text.split('\n')) {
    line++
    const first = raw[0]
    if (first === undefined || first === ' ' || first === '#' || first === '\r') continue
    for (const descriptor of readKeys(raw)) {
      if (lines.has(descriptor)) fail(ctx, line, `descriptor ${quote(descriptor)} listed twice`)
      lines.set(descriptor, line)
    }
  }
  return lines
}

/** The comma-separated keys at the start of a line, quoted (JSON) or bare. */
function readKeys(line: string): string[] {
  const keys: string[] = []
  let i = 0
  while (i < line.length) {
    let key: string
    if (line[i] === '"') {
      const length = stringLength(line, i)
      if (length < 0) break
      try {
        key = String(JSON.parse(line.slice(i, i + length)))
      } catch {
        break
      }
      i += length
    } else {
      let end = i
      while (end < line.length && !':\r, '.includes(line[end] ?? '')) end++
      key = line.slice(i, end)
      i = end
    }
    keys.push(key)
    while (line[i] === ' ') i++
    if (line[i] !== ',') break
    i++
    while (line[i] === ' ') i++
  }
  return keys
}
