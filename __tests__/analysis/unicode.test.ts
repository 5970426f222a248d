import { describeCodePoints, findHiddenUnicode, revealHidden } from '../../src/analysis/unicode.js'

const kinds = (s: string): string[] => findHiddenUnicode(s).map((h) => h.kind)

test('finds Trojan Source controls, zero-width characters in ASCII, selector runs and tags', () => {
  expect(kinds("if (x != 'user\u202e \u2066// admin\u2069 \u2066')")).toEqual([
    'bidi-control',
    'bidi-control',
    'bidi-control',
    'bidi-control',
  ])
  expect(kinds('const admin\u200b = 1')).toEqual(['zero-width'])
  expect(kinds('const { timeout,\u3164} = q')).toEqual(['zero-width'])
  expect(kinds('x' + '\u{e0101}\u{e0102}\u{e0103}')).toEqual(['variation-selector'])
  expect(kinds('hello\u{e0041}\u{e0042}')).toEqual(['tag'])
})

test('leaves emoji, joined scripts, keycaps, flags and a leading BOM alone', () => {
  expect(kinds('\ufeffconst a = "\u26a0\ufe0f \u{1f468}\u200d\u{1f4bb} 1\ufe0f\u20e3"')).toEqual([])
  expect(kinds('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645')).toEqual([])
  expect(kinds('\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}')).toEqual([])
})

test('names hidden characters instead of printing them', () => {
  expect(revealHidden('a\u202eb')).toBe('a<U+202E>b')
  expect(describeCodePoints([0x202e, 0x2066], 2)).toBe('U+202E U+2066')
  expect(describeCodePoints([0xe0100, 0xe0101, 0xe0102, 0xe0103], 40)).toContain('(40 characters)')
})

// Its time, at n and 2n: npm run bench:hostile.
test('scans megabytes and reports a bounded number of runs', () => {
  const text = 'a\u200b'.repeat(1_000_000)
  expect(findHiddenUnicode(text).length).toBe(50)
  expect(findHiddenUnicode('x'.repeat(5_000_000))).toEqual([])
})
