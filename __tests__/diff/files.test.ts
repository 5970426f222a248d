import { diffPackages } from '../../src/diff/files.js'
import { focusHunks } from '../../src/diff/focus.js'
import type { Finding } from '../../src/schemas.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const files = (o: Record<string, string | Uint8Array>): Map<string, Uint8Array> =>
  new Map(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? enc(v) : v]))

test('classifies added, removed, modified and binary files; identical files are skipped', () => {
  const diffs = diffPackages(
    files({
      'same.js': 'x',
      'gone.js': 'a\n',
      'mod.js': 'a\nb\nc\n',
      'img.png': new Uint8Array([0, 1]),
    }),
    files({
      'same.js': 'x',
      'new.js': 'n1\nn2\n',
      'mod.js': 'a\nB\nc\nd\n',
      'img.png': new Uint8Array([0, 2]),
    }),
  )
  expect(diffs.map((d) => [d.path, d.status, d.binary, d.additions, d.deletions])).toEqual([
    ['gone.js', 'removed', false, 0, 1],
    ['img.png', 'modified', true, 0, 0],
    ['mod.js', 'modified', false, 2, 1],
    ['new.js', 'added', false, 2, 0],
  ])
  const mod = diffs.find((d) => d.path === 'mod.js')!
  expect([...mod.addedLines]).toEqual([2, 4])
  const added = mod.hunks[0]!.lines.filter((l) => l.kind === 'add')
  expect(added).toEqual([
    { kind: 'add', line: 2, text: 'B' },
    { kind: 'add', line: 4, text: 'd' },
  ])
})

test('a new package is all added', () => {
  const [d] = diffPackages(null, files({ 'index.js': 'a\nb' }))
  expect(d).toMatchObject({ status: 'added', additions: 2, deletions: 0 })
  expect([...d!.addedLines]).toEqual([1, 2])
})

test('a diff too costly to compute counts the whole file as changed, bounded', () => {
  const oldText = Array.from({ length: 30_000 }, (_, i) => `a${i}`).join('\n')
  const newText = Array.from({ length: 30_000 }, (_, i) => `b${i}`).join('\n')
  const [d] = diffPackages(files({ 'big.js': oldText }), files({ 'big.js': newText }))
  expect(d!.approximate).toBe(true)
  expect(d!.additions).toBe(30_000)
})

test('focuses on a small window around each finding, with new-version line numbers', () => {
  const oldText = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n'
  const newLines = oldText.split('\n')
  newLines.splice(20, 0, "  Bcc: 'x@y.example',")
  const diffs = diffPackages(
    files({ 'index.js': oldText }),
    files({ 'index.js': newLines.join('\n') }),
  )
  const finding: Finding = {
    ruleId: 'r',
    category: 'email',
    severity: 'critical',
    file: 'index.js',
    line: 21,
    message: 'm',
    evidence: 'e',
  }
  const [hunk] = focusHunks(diffs, [finding])
  expect(hunk!.lines.find((l) => l.kind === 'add')).toEqual({
    kind: 'add',
    line: 21,
    text: "  Bcc: 'x@y.example',",
  })
  expect(hunk!.lines.length).toBeLessThanOrEqual(9)
  expect(focusHunks(diffs, [{ ...finding, line: null }])).toEqual([])
})

test('a focus window never crosses into another diff hunk (skipped lines are not shown as adjacent)', () => {
  const oldLines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`)
  const newLines = [...oldLines]
  newLines[10] = 'changed 11'
  newLines.splice(21, 0, 'added after 21')
  const diffs = diffPackages(
    files({ 'index.js': oldLines.join('\n') + '\n' }),
    files({ 'index.js': newLines.join('\n') + '\n' }),
  )
  expect(diffs[0]!.hunks).toHaveLength(2)
  const finding: Finding = {
    ruleId: 'r',
    category: 'email',
    severity: 'critical',
    file: 'index.js',
    line: 22,
    message: 'm',
    evidence: 'e',
  }
  const [hunk] = focusHunks(diffs, [finding])
  const shown = hunk!.lines.filter((l) => l.kind !== 'del').map((l) => l.line)
  // Consecutive new-version line numbers only: nothing from the first hunk.
  expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => shown[0]! + i))
  expect(shown).toContain(22)
  expect(hunk!.newStart).toBe(shown[0])
})
