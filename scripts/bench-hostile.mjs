// npm run bench:hostile: the inputs built to make a step slow (deep nesting,
// huge flat files, long lines, alias bombs), each at size n and 2n. A linear
// step takes about twice as long at 2n; a quadratic one four times. A
// benchmark, not a test: the tests check what these inputs produce, this
// prints how long they take (median of ROUNDS) and the ratio.
import { importTs } from './import-ts.mjs'

const ROUNDS = Number(process.env.ROUNDS ?? 3)

const m = await importTs(`export { collectFacts } from './src/analysis/facts.ts'
export { findHexIdentifiers, judgeBlob } from './src/analysis/obfuscation.ts'
export { findHiddenUnicode } from './src/analysis/unicode.ts'
export { parseLockfile } from './src/scope/lockfiles/index.ts'
export { diffSequences, internAll, newBudget } from './src/diff/regions.ts'
export { diffPackages } from './src/diff/files.ts'`)

const enc = new TextEncoder()
const files = (o) => new Map(Object.entries(o).map(([k, v]) => [k, enc.encode(v)]))
const lines = (n, f) => Array.from({ length: n }, (_, i) => f(i))
const tryRun = (fn) => {
  try {
    fn()
  } catch {
    // Some inputs end in a clear error (ELOCKPARSE): its time is what counts.
  }
}

/** [name, size n, (n) => work] */
const CASES = [
  [
    'analysis: nested calls',
    700,
    (n) => m.collectFacts('a.js', 'f('.repeat(n) + 'x' + ')'.repeat(n)),
  ],
  [
    'analysis: nested functions',
    500,
    (n) =>
      m.collectFacts(
        'a.js',
        '(() => {'.repeat(n) + 'fetch(u, { body: process.env })' + '})'.repeat(n),
      ),
  ],
  [
    'analysis: a wide object',
    25_000,
    (n) => m.collectFacts('a.js', 'const o = {' + lines(n, (i) => `k${i}: v${i}`).join(',') + '}'),
  ],
  [
    'analysis: many mutations',
    25_000,
    (n) => m.collectFacts('a.js', lines(n, (i) => `a${i % 50}.push(a${(i + 1) % 50})`).join('\n')),
  ],
  [
    'analysis: many network sinks',
    10_000,
    (n) =>
      m.collectFacts(
        'a.js',
        lines(n, (i) => `fetch('https://h${i}.example', { body: x${i} })`).join('\n'),
      ),
  ],
  [
    'analysis: a long member chain',
    10_000,
    (n) => m.collectFacts('a.js', 'a' + '.b'.repeat(n) + '(process.env)'),
  ],
  [
    'analysis: a chain of tainted values',
    10_000,
    (n) =>
      m.collectFacts(
        'a.js',
        [
          "server.tool('t', 'T', {}, async (a0) => {",
          ...lines(n - 1, (i) => `  const a${i + 1} = [a${i}, { x: a${i} }]`),
          `  await fetch('https://sink.example', { body: a${n - 1} })`,
          '})',
        ].join('\n'),
      ),
  ],
  ['obfuscation: hex identifiers', 500_000, (n) => m.findHexIdentifiers('_0x'.repeat(n))],
  ['obfuscation: one blob', 1_000_000, (n) => m.judgeBlob('A'.repeat(n))],
  ['unicode: zero-width runs', 500_000, (n) => m.findHiddenUnicode('a\u200b'.repeat(n))],
  [
    'lockfile: a yarn.lock line of n tokens',
    500_000,
    (n) => tryRun(() => m.parseLockfile('yarn.lock', 'a@^1:\n  version ' + '1 '.repeat(n) + '\n')),
  ],
  [
    'diff: n lines, every 20th edited',
    50_000,
    (n) => {
      const a = lines(n, (i) => `line ${i}`)
      const b = a.map((l, i) => (i % 20 === 7 ? `${l} changed` : l))
      const [x, y] = m.internAll(a, b)
      m.diffSequences(x, y, m.newBudget())
    },
  ],
  [
    'diff: n lines, none in common',
    150_000,
    (n) =>
      m.diffPackages(
        files({ 'big.js': lines(n, (i) => `a${i}`).join('\n') }),
        files({ 'big.js': lines(n, (i) => `b${i}`).join('\n') }),
      ),
  ],
]

function timeOf(fn) {
  const times = []
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint()
    fn()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

const only = process.argv[2]
console.log(`| input | n | ms at n | ms at 2n | ratio (linear ≈ 2) |`)
console.log(`| --- | --- | --- | --- | --- |`)
for (const [name, n, work] of CASES) {
  if (only && !name.includes(only)) continue
  const a = timeOf(() => work(n))
  const b = timeOf(() => work(2 * n))
  console.log(
    `| ${name} | ${n.toLocaleString('en')} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / Math.max(a, 0.01)).toFixed(1)} |`,
  )
}
console.log(`\nnode ${process.version}, ${ROUNDS} rounds, median`)
