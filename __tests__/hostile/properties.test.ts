// Property-based tests over what the attacker writes: for any input, the MCP
// config reader, the policy reader, the tar reader and the renderer return
// data or throw our own ReviewError, and nothing else; the renderer's output
// has no structure we did not write. Fixed seed and bounded runs: the same
// inputs on every machine, in a few seconds. (Lockfile parsers have theirs in
// __tests__/scope/lockfiles.test.ts.)
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { stringify as toYaml } from 'yaml'
import { isReviewError } from '../../src/errors.js'
import { DEFAULT_LIMITS, type ExtractLimits, type PackageContents } from '../../src/fetch/types.js'
import { readTarball, resolveEntryPath } from '../../src/fetch/untar.js'
import { applyPolicy, parsePolicy, PolicySchema } from '../../src/policy.js'
import { escapeForLog, escapeForTerminal } from '../../src/render/escape.js'
import { COMMENT_MARKER, renderMarkdown } from '../../src/render/markdown.js'
import {
  CATEGORIES,
  RISKS,
  SEVERITIES,
  type Finding,
  type Hunk,
  type PackageReview,
  type Report,
} from '../../src/schemas.js'
import { diffServerPins, parseMcpConfig } from '../../src/scope/mcp-configs.js'
import { MCP_CONFIG_FILES } from '../../src/scope/mcp-knowledge.js'
import { Header, Pax } from 'tar'
import { buildTar, tarEntry, type RawEntry } from '../helpers/pack.js'
import { INJECTIONS } from './corpus.js'
import { markdownProblems, terminalProblems } from './harness.js'

const SEED = 20_240_911
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns })

/** Returns fn's value, or null for our own ReviewError; anything else escapes and fails the property. */
function ownErrorsOnly<T>(fn: () => T): T | null {
  try {
    return fn()
  } catch (err) {
    if (isReviewError(err)) return null
    throw err
  }
}

/** No key reached Object.prototype. */
function expectNoPollution(): void {
  expect(Object.keys(Object.prototype)).toEqual([])
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
}

// ---------------------------------------------------------------------------
// Hostile strings: every injection of the corpus, the characters each output
// reacts to, and random text, glued together

const FRAGMENTS = [
  ...Object.values(INJECTIONS),
  ...['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'],
  ...['\n', '\r\n', '\r', '\t', '\v', '\f', '\u0000', '\u0085', '\u2028', '\u2029'],
  ...['`', '```', '````', '~~~', '|', '\\', '<', '>', '&', '&amp;', '&#64;', '&#8203;', '"', "'"],
  ...['@', '@x', '#1', 'GH-1', '*', '_', '[', ']', '(', ')', '!', '- ', '+ ', '1. ', '=', '---'],
  ...['<!--', '-->', 'https://x.example/a', 'www.x.example', 'x@y.example', ':', '::', '##['],
  ...['\u001b', '\u009b', '\u0007', '\u202e', '\u2066', '\u200b', '\ufeff', '\u{e0041}'],
  ...['\ud800', '\udc00', '😀', '👨‍👩‍👧', 'é', '<details>', '</code>', '<sub>', '<br>', ' ', '$', '$$'],
]

const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), {
        maxLength: 10,
      })
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
)

/** Text cut and spliced at random places: what a truncated or hand-edited file looks like. */
function mangled(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(text, fc.nat(), fc.nat({ max: 20 }), hostileString)
    .map(([t, at, cut, insert]) => {
      const i = at % (t.length + 1)
      return t.slice(0, i) + insert + t.slice(Math.min(t.length, i + cut))
    })
}

// ---------------------------------------------------------------------------
// MCP client configs (pull request files)

describe('parseMcpConfig over any text', () => {
  const configPaths = [
    ...MCP_CONFIG_FILES.map((c) => c.suffix),
    'apps/web/.cursor/mcp.json',
    '.vscode\\mcp.json',
    'README.md',
  ]
  const word = fc.oneof(
    hostileString,
    fc.constantFrom(
      ...['-y', '-p', '--package', '--', '-p=pkg@1.0.0', '--registry', 'dlx', 'exec'],
      ...['pkg@1.0.0', '@s/pkg@latest', 'npm:x@1', 'github:a/b', '../x', 'file:../x.tgz'],
      ...['http://x.example/y.tgz', 'pkg@^1', 'pkg@', '@', '@/', 'pkg@1.0.0 ; rm -rf /'],
    ),
  )
  const command = fc.oneof(
    fc.constantFrom('npx', 'npx.cmd', 'bunx', 'pnpx', 'pnpm', 'yarn', 'npm', 'C:\\n\\npx.exe'),
    fc.constantFrom('/usr/bin/npx', 'npx -y pkg@1.2.3', 'pnpm dlx x', 'node', ''),
    hostileString,
  )
  const server = fc.oneof(
    fc.record({ command, args: fc.array(word, { maxLength: 6 }) }),
    fc.record({ command, args: fc.anything() }),
    fc.anything(),
  )
  // Written by hand, so that keys like __proto__ stay keys of the text.
  const object = (entries: Array<[string, unknown]>): string =>
    `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v) ?? 'null'}`).join(', ')}}`
  const key = fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'mcpServers'))
  const structured = fc
    .tuple(
      fc.array(fc.tuple(key, server), { maxLength: 5 }),
      fc.constantFrom('mcpServers', 'servers', '__proto__'),
      fc.boolean(),
    )
    .map(([servers, top, comment]) => {
      const text = `{"${top}": ${object(servers)}}`
      return comment ? `// generated\n${text.replace('{', '{ /* c */ ')}` : text
    })
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.json(),
    structured,
    mangled(structured),
  )

  test('returns pins of strings, or ECONFIG; never pollutes a prototype', () => {
    fc.assert(
      fc.property(fc.constantFrom(...configPaths), text, text, (path, before, after) => {
        const pins = ownErrorsOnly(() => parseMcpConfig(path, after))
        const old = ownErrorsOnly(() => parseMcpConfig(path, before))
        for (const pin of pins ?? []) {
          expect(typeof pin.server).toBe('string')
          expect(typeof pin.packageName).toBe('string')
          expect(typeof pin.spec).toBe('string')
          expect(typeof pin.selector).toBe('string')
          expect(pin.config).toBe(path)
        }
        if (pins && old) diffServerPins(old, pins)
        expectNoPollution()
      }),
      runs(400),
    )
  })
})

// ---------------------------------------------------------------------------
// The policy file

describe('parsePolicy over any text', () => {
  const host = fc.oneof(hostileString, fc.constantFrom('api.example.com', '*', '**', '+(a|b)*'))
  const structured = fc
    .record({
      packages: fc.dictionary(
        fc.oneof(
          hostileString,
          fc.constantFrom('__proto__', 'constructor', '@acme/*', '*(a|+(b))'),
        ),
        fc.record({
          'allow-hosts': fc.array(host, { maxLength: 3 }),
          'allow-recipients': fc.array(hostileString, { maxLength: 3 }),
        }),
        { maxKeys: 4 },
      ),
      accept: fc.array(
        fc.record({
          fingerprint: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), hostileString),
          reason: hostileString,
        }),
        { maxLength: 3 },
      ),
    })
    .map((policy) => toYaml(policy))
  const aliasBomb = fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))
    .map(([depth, width]) => {
      const lines = ['a0: &a0 [x]']
      for (let i = 1; i <= depth; i++) {
        lines.push(
          `a${i}: &a${i} [${Array(width)
            .fill(`*a${i - 1}`)
            .join(', ')}]`,
        )
      }
      return lines.join('\n')
    })
  const tricky = fc.constantFrom(
    '%YAML 1.1\n---\npackages: {}\n',
    'packages: !!binary aGVsbG8=\n',
    'packages: !!set {a, b}\n',
    'accept: !!js/function "function () {}"\n',
    'packages: !foo {}\n',
    '<<: {packages: {}}\n',
    '? [a, b]\n: c\n',
    'packages: {a: {allow-hosts: [x]}, a: {}}\n',
    '---\npackages: {}\n---\naccept: []\n',
    '&a [*a]\n',
  )
  const anythingAsYaml = fc.anything().map((v) => {
    try {
      return toYaml(v) ?? ''
    } catch {
      return ''
    }
  })
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    structured,
    mangled(structured),
    aliasBomb,
    tricky,
    anythingAsYaml,
  )
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'mcp-diff-review', version: '0.0.0' },
    risk: 'high',
    packages: [
      {
        name: '@acme/mcp-x',
        from: '1.0.0',
        to: '1.0.1',
        risk: 'high',
        status: 'reviewed',
        riskReasons: [],
        findings: [
          {
            ruleId: 'cap-network-new-host',
            category: 'network',
            severity: 'high',
            file: 'index.js',
            line: 1,
            message: 'x',
            evidence: 'x',
            subject: 'api.example.com',
            fingerprint: '0123456789abcdef',
          },
        ],
        files: [],
        hunks: [],
      },
    ],
  }

  // yaml's own duplicate-key check took 40 s on 60,000 (it compares every key with every other).
  test('finds duplicate keys among 30,000 in linear time', () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => `k${i}`)
    expect(() => parsePolicy('p.yml', `{${keys.join(',')}, k7}`)).toThrow(
      expect.objectContaining({ code: 'ECONFIG', message: 'p.yml:1: Map keys must be unique' }),
    )
  }, 5000)

  test('returns a valid policy, or ECONFIG; never pollutes a prototype', () => {
    fc.assert(
      fc.property(text, (t) => {
        const policy = ownErrorsOnly(() => parsePolicy('.github/mcp-diff-review.yml', t))
        if (policy) {
          expect(PolicySchema.safeParse(policy).success).toBe(true)
          applyPolicy(report, policy)
        }
        expectNoPollution()
      }),
      runs(400),
    )
  })
})

// ---------------------------------------------------------------------------
// Tarballs

/** What every read must satisfy: only safe relative paths, within every bound. */
function expectWithinBounds(contents: PackageContents, limits: ExtractLimits): void {
  expect(contents.files.size).toBeLessThanOrEqual(limits.maxFiles)
  for (const [path, bytes] of contents.files) {
    const segments = path.split('/')
    // (`C:` may lead: `package/./C:/a` is the file npm puts at `C:/a`; only `package/C:/a` is absolute.)
    expect(path).not.toMatch(/^\/|\\/)
    expect(segments).not.toContain('..')
    expect(segments).not.toContain('.')
    expect(segments).not.toContain('')
    expect(segments.length).toBeLessThanOrEqual(limits.maxPathDepth)
    expect(bytes.length).toBeLessThanOrEqual(limits.maxFileBytes)
  }
}

const FILE_TYPES = ['File', 'OldFile', 'ContiguousFile']
const ENTRY_TYPES = [
  ...FILE_TYPES,
  'Directory',
  'SymbolicLink',
  'Link',
  'CharacterDevice',
  'BlockDevice',
  'FIFO',
]

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a', 'b.js', 'lib', 'package', 'node_modules') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('..', '.', '', 'C:', 'c:\\x', '\\', '..\\..', '__proto__', '%2e%2e'),
  },
  // No newline: node-tar splits PAX records at one, so npm and we both read another path than
  // the one written (the same one: the model below would be wrong, not the reader).
  { weight: 1, arbitrary: fc.constantFrom('é', '\u202e', 'x'.repeat(120), ' ', 'a\tb') },
)
const entryPath = fc
  .tuple(
    fc.constantFrom('', '/', 'package/', './'),
    fc.array(segment, { minLength: 1, maxLength: 6 }),
  )
  .map(([prefix, parts]) => prefix + parts.join('/'))
// Valid headers: a name, and a link path on links only. node-tar (and so npm) skips any other
// header as invalid, and a PAX record before one then carries over to the entries after it
// (archive-edges.test.ts); the raw-bytes property covers those.
const rawEntry: fc.Arbitrary<RawEntry> = fc
  .record({
    path: entryPath.filter((p) => p !== ''),
    type: fc.constantFrom(...ENTRY_TYPES),
    body: fc.uint8Array({ maxLength: 700 }),
    linkpath: entryPath.filter((p) => p !== ''),
  })
  .map((e) => (e.type === 'SymbolicLink' || e.type === 'Link' ? e : { ...e, linkpath: '' }))

/**
 * The name and type node-tar reads from an entry's header (PAX applied, an
 * old-style directory recognised): header decoding is node-tar's, as in npm.
 */
function decodeHeader(e: RawEntry): { path: string; type: string } {
  const bytes = tarEntry(e)
  const first = new Header(bytes, 0)
  if (first.type !== 'ExtendedHeader') return { path: first.path ?? '', type: first.type ?? '' }
  // As node-tar's Parser and ReadEntry: the PAX record's path wins over the header's.
  const size = first.size ?? 0
  const pax = Pax.parse(bytes.subarray(512, 512 + size).toString('utf8'), undefined)
  const header = new Header(bytes, 512 + Math.ceil(size / 512) * 512, pax)
  return { path: pax.path ?? header.path ?? '', type: header.type ?? '' }
}

/** Every content written at each path, in archive order, by npm's extraction policy. */
function modelVersions(entries: RawEntry[]): Map<string, string[]> {
  const versions = new Map<string, string[]>()
  for (const e of entries) {
    const { path, type } = decodeHeader(e)
    const where = FILE_TYPES.includes(type) ? resolveEntryPath(path) : null
    if (!where || !('path' in where)) continue
    const hex = Buffer.from(e.body ?? '').toString('hex')
    versions.set(where.path, [...(versions.get(where.path) ?? []), hex])
  }
  return versions
}

/**
 * What npm would install (pacote's extraction policy, our model of it): the
 * last file entry at each path, the first component stripped; links, devices,
 * absolute paths and `..` never.
 */
function modelFiles(entries: RawEntry[]): Map<string, string> {
  return new Map([...modelVersions(entries)].map(([path, hexes]) => [path, hexes.at(-1)!]))
}

function hexFiles(contents: PackageContents): Map<string, string> {
  return new Map([...contents.files].map(([p, b]) => [p, Buffer.from(b).toString('hex')]))
}

describe('readTarball', () => {
  test('over arbitrary bytes (raw, gzip-looking, gzipped): contents within bounds, or EARCHIVE', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.concat([Buffer.from([0x1f, 0x8b]), b])),
      fc.uint8Array({ maxLength: 3000 }).map((b) => gzipSync(b)),
      fc
        .uint8Array({ maxLength: 3000 })
        .map((b) => Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), b])),
      // Blocks of a real header followed by noise.
      fc
        .tuple(rawEntry, fc.uint8Array({ maxLength: 2000 }))
        .map(([e, noise]) => Buffer.concat([buildTar([e]).subarray(0, 512), noise])),
    )
    fc.assert(
      fc.property(bytes, (b) => {
        const contents = ownErrorsOnly(() => readTarball(b))
        if (contents) expectWithinBounds(contents, DEFAULT_LIMITS)
      }),
      runs(300),
    )
  })

  test('over random entries: exactly the files npm would install, every unsafe entry reported', () => {
    fc.assert(
      // One entry at least: node-tar calls a tar of no entry an unrecognized archive.
      fc.property(
        fc.array(rawEntry, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (entries, gzip) => {
          const tar = buildTar(entries)
          const contents = readTarball(gzip ? gzipSync(tar) : tar)
          expect(contents.incomplete).toBeNull()
          expect(hexFiles(contents)).toEqual(modelFiles(entries))
          expectWithinBounds(contents, DEFAULT_LIMITS)
          const links = entries.filter(
            (e) => !FILE_TYPES.includes(e.type!) && e.type !== 'Directory',
          )
          expect(
            contents.archiveIssues.filter((i) => i.entry !== '(archive)').length,
          ).toBeGreaterThanOrEqual(links.length)
        },
      ),
      runs(300),
    )
  })

  test('cut or bounded anywhere: what is kept is within bounds, and anything missing is reported', () => {
    const limits: fc.Arbitrary<ExtractLimits> = fc.record({
      maxTotalBytes: fc.integer({ min: 1, max: 12_000 }),
      maxFiles: fc.integer({ min: 0, max: 8 }),
      maxFileBytes: fc.integer({ min: 0, max: 800 }),
      maxPathDepth: fc.integer({ min: 1, max: 5 }),
    })
    fc.assert(
      fc.property(
        fc.array(rawEntry, { maxLength: 8 }),
        limits,
        fc.option(fc.nat(), { nil: null }),
        fc.boolean(),
        (entries, bounds, cutAt, gzip) => {
          const whole = buildTar(entries)
          const tar = cutAt === null ? whole : whole.subarray(0, cutAt % (whole.length + 1))
          const contents = ownErrorsOnly(() => readTarball(gzip ? gzipSync(tar) : tar, bounds))
          if (!contents) return
          expectWithinBounds(contents, bounds)
          // Only files the archive holds, with their bytes (a bound may keep an earlier copy).
          const expected = modelFiles(entries)
          const versions = modelVersions(entries)
          const got = hexFiles(contents)
          for (const [path, hex] of got) expect(versions.get(path)).toContain(hex)
          // Never a silent drop: a bound that keeps out a file npm would install is "not fully
          // reviewed". (A tar cut at a block boundary is another archive, which npm installs as it is.)
          const complete = [...expected].every(([path, hex]) => got.get(path) === hex)
          if (cutAt === null && !complete) expect(contents.incomplete).not.toBeNull()
        },
      ),
      runs(300),
    )
  })
})

// ---------------------------------------------------------------------------
// The renderer

const finding: fc.Arbitrary<Finding> = fc.record(
  {
    ruleId: hostileString,
    category: fc.constantFrom(...CATEGORIES),
    severity: fc.constantFrom(...SEVERITIES),
    file: hostileString,
    line: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
    message: hostileString,
    evidence: hostileString,
    repositoryFile: fc.boolean(),
    subject: hostileString,
    fingerprint: hostileString,
    why: hostileString,
  },
  { requiredKeys: ['ruleId', 'category', 'severity', 'file', 'line', 'message', 'evidence'] },
)

const hunk: fc.Arbitrary<Hunk> = fc.record({
  file: hostileString,
  oldStart: fc.nat({ max: 100_000 }),
  newStart: fc.nat({ max: 100_000 }),
  lines: fc.array(
    fc.record({
      kind: fc.constantFrom('add', 'del', 'ctx'),
      line: fc.integer({ min: 1, max: 100_000 }),
      text: hostileString,
    }),
    { maxLength: 6 },
  ),
})

const packageReview: fc.Arbitrary<PackageReview> = fc.record(
  {
    name: hostileString,
    from: fc.option(hostileString, { nil: null }),
    to: hostileString,
    risk: fc.constantFrom(...RISKS),
    status: fc.constantFrom('reviewed', 'unverified'),
    error: fc.record({ code: hostileString, message: hostileString }),
    riskReasons: fc.array(hostileString, { maxLength: 3 }),
    findings: fc.array(finding, { maxLength: 5 }),
    files: fc.array(
      fc.record(
        {
          path: hostileString,
          renamedFrom: hostileString,
          status: fc.constantFrom('added', 'removed', 'modified'),
          binary: fc.boolean(),
          additions: fc.nat(),
          deletions: fc.nat(),
          approximate: fc.boolean(),
        },
        { requiredKeys: ['path', 'status', 'binary', 'additions', 'deletions'] },
      ),
      { maxLength: 4 },
    ),
    hunks: fc.array(hunk, { maxLength: 3 }),
    source: fc.record({
      file: hostileString,
      line: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
    }),
    reasons: fc.array(hostileString, { maxLength: 2 }),
    accepted: fc.array(
      finding.chain((f) => hostileString.map((reason) => ({ ...f, reason }))),
      { maxLength: 2 },
    ),
  },
  {
    requiredKeys: [
      'name',
      'from',
      'to',
      'risk',
      'status',
      'riskReasons',
      'findings',
      'files',
      'hunks',
    ],
  },
)

const report: fc.Arbitrary<Report> = fc.record({
  schemaVersion: fc.constant(1 as const),
  tool: fc.record({ name: fc.constant('mcp-diff-review' as const), version: hostileString }),
  risk: fc.constantFrom(...RISKS),
  packages: fc.array(packageReview, { maxLength: 4 }),
})

describe('renderMarkdown for any string in any field', () => {
  test('writes no element we did not create, the marker once, closed fences; safe on a terminal', () => {
    const options = fc.record(
      {
        maxLength: fc.oneof(fc.integer({ min: 2000, max: 65_000 }), fc.constant(Infinity)),
        title: hostileString,
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(report, options, (r, opts) => {
        const md = renderMarkdown(r, opts)
        expect(markdownProblems(md, COMMENT_MARKER)).toEqual([])
        expect(terminalProblems(escapeForTerminal(md))).toEqual([])
      }),
      runs(250),
    )
  })

  test('log and annotation text never forms a workflow command', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        expect(terminalProblems(escapeForLog(s))).toEqual([])
        for (const line of escapeForLog(s).split('\n')) expect(line).not.toContain('::')
      }),
      runs(500),
    )
  })
})
