import { diffPackages, summarizeFiles } from '../../src/diff/files.js'
import { focusHunks } from '../../src/diff/focus.js'
import { findRenames, pairFiles } from '../../src/diff/pair.js'
import { fingerprint, similarity } from '../../src/diff/similarity.js'
import type { Finding } from '../../src/schemas.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const files = (o: Record<string, string>): Map<string, Uint8Array> =>
  new Map(Object.entries(o).map(([k, v]) => [k, enc(v)]))
const lines = (n: number, f: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => f(i) + '\n').join('')

/** A bundler chunk: 200 distinct lines of code. */
const chunk = lines(200, (i) => `  const value${i} = compute(${i}, "${'x'.repeat(i % 7)}");`)

test('pairs a renamed bundler chunk with a small edit and diffs it against the old one', () => {
  const edited =
    chunk.replace('compute(100, ', 'computeAgain(100, ') + "fetch('https://x.example')\n"
  const diffs = diffPackages(
    files({ 'dist/chunk-PD3GT6R2.js': chunk, 'index.js': 'a\n' }),
    files({ 'dist/chunk-KJCT2FXL.js': edited, 'index.js': 'a\n' }),
  )
  expect(summarizeFiles(diffs)).toEqual([
    {
      path: 'dist/chunk-KJCT2FXL.js',
      renamedFrom: 'dist/chunk-PD3GT6R2.js',
      status: 'modified',
      binary: false,
      additions: 2,
      deletions: 1,
    },
  ])
  expect([...diffs[0]!.addedLines]).toEqual([101, 201])
})

test('a moved file with the same content is a rename with nothing changed', () => {
  const diffs = diffPackages(files({ 'lib/util.js': chunk }), files({ 'src/util.js': chunk }))
  expect(summarizeFiles(diffs)).toEqual([
    {
      path: 'src/util.js',
      renamedFrom: 'lib/util.js',
      status: 'modified',
      binary: false,
      additions: 0,
      deletions: 0,
    },
  ])
})

test('two unrelated files, one removed and one added, are not paired', () => {
  const other = lines(200, (i) => `export function handler${i * 7}(req) { return req.body.${i} }`)
  const diffs = diffPackages(files({ 'dist/a.js': chunk }), files({ 'dist/b.js': other }))
  expect(summarizeFiles(diffs)).toEqual([
    { path: 'dist/a.js', status: 'removed', binary: false, additions: 0, deletions: 200 },
    { path: 'dist/b.js', status: 'added', binary: false, additions: 200, deletions: 0 },
  ])
})

test('a file that kept less than half of its content is not a rename', () => {
  const half = chunk.split('\n').slice(0, 90).join('\n') + '\n' + lines(110, (i) => `new ${i}`)
  expect(
    findRenames(['old.js'], ['new.js'], files({ 'old.js': chunk }), files({ 'new.js': half })),
  ).toEqual([])
  const most = chunk.split('\n').slice(0, 150).join('\n') + '\n' + lines(50, (i) => `new ${i}`)
  expect(
    findRenames(['old.js'], ['new.js'], files({ 'old.js': chunk }), files({ 'new.js': most })),
  ).toEqual([{ from: 'old.js', to: 'new.js', score: expect.closeTo(0.75, 1) }])
})

test('each file is paired once, with the most similar one, whatever the map order', () => {
  const near = chunk.replace('compute(3, ', 'compute(4, ')
  const far = chunk.replace(/compute\(1\d, /g, 'other(')
  const old = files({ 'dist/chunk-OLD.js': chunk })
  const forward = pairFiles(old, files({ 'dist/chunk-A.js': far, 'dist/chunk-B.js': near }))
  const backward = pairFiles(old, files({ 'dist/chunk-B.js': near, 'dist/chunk-A.js': far }))
  expect(forward).toEqual(backward)
  expect(forward.map((p) => [p.path, p.renamedFrom])).toEqual([
    ['dist/chunk-A.js', undefined],
    ['dist/chunk-B.js', 'dist/chunk-OLD.js'],
  ])
})

test('among identical copies, the one with the same file name is the rename', () => {
  const renames = findRenames(
    ['a/index.js', 'b/util.js'],
    ['c/util.js'],
    files({ 'a/index.js': chunk, 'b/util.js': chunk }),
    files({ 'c/util.js': chunk }),
  )
  expect(renames).toEqual([{ from: 'b/util.js', to: 'c/util.js', score: 1 }])
})

test('empty files are never paired by similarity', () => {
  const pairs = pairFiles(
    files({ 'a.js': '', 'x.js': 'x\n' }),
    files({ 'b.js': '', 'x.js': 'y\n' }),
  )
  // Identical empty content is an exact rename; nothing else pairs them.
  expect(pairs.map((p) => [p.path, p.renamedFrom])).toEqual([
    ['b.js', 'a.js'],
    ['x.js', undefined],
  ])
})

test('similarity survives a one-line minified bundle edited in the middle', () => {
  const minified = Array.from({ length: 3000 }, (_, i) => `var a${i}=f(${i});`).join('')
  const edited = minified.replace('var a1500=f(1500);', 'var a1500=g(1500,"https://x.example");')
  const score = similarity(fingerprint(enc(minified)), fingerprint(enc(edited)), { steps: 1e9 })
  expect(score).toBeGreaterThan(0.95)
  const unrelated = Array.from({ length: 3000 }, (_, i) => `let q${i * 3}=h[${i}];`).join('')
  expect(
    similarity(fingerprint(enc(minified)), fingerprint(enc(unrelated)), { steps: 1e9 }),
  ).toBeLessThan(0.1)
})

test("a finding in a renamed file is shown with the pair's diff, not the whole file", () => {
  const edited = chunk.replace('compute(100, ', 'send(100, ')
  const diffs = diffPackages(
    files({ 'dist/chunk-OLD.js': chunk }),
    files({ 'dist/chunk-NEW.js': edited }),
  )
  const finding: Finding = {
    ruleId: 'r',
    category: 'network',
    severity: 'high',
    file: 'dist/chunk-NEW.js',
    line: 101,
    message: 'm',
    evidence: 'send(100',
  }
  const [hunk] = focusHunks(diffs, [finding])
  expect(hunk!.file).toBe('dist/chunk-NEW.js')
  expect(hunk!.lines.filter((l) => l.kind !== 'ctx')).toEqual([
    { kind: 'del', line: 101, text: '  const value100 = compute(100, "xx");' },
    { kind: 'add', line: 101, text: '  const value100 = send(100, "xx");' },
  ])
})
