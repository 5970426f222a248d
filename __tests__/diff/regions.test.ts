import fc from 'fast-check'
import { diffSequences, internAll, newBudget, type Region } from '../../src/diff/regions.js'

const diff = (a: string[], b: string[], steps?: number): ReturnType<typeof diffSequences> => {
  const [x, y] = internAll(a, b)
  return diffSequences(x, y, newBudget(steps))
}

/** Applies the regions to `a`: must give `b`. */
function apply(a: string[], b: string[], regions: Region[]): string[] {
  const out: string[] = []
  let i = 0
  for (const r of regions) {
    out.push(...a.slice(i, r.aStart), ...b.slice(r.bStart, r.bEnd))
    i = r.aEnd
  }
  return [...out, ...a.slice(i)]
}

test('finds the minimal replaced ranges of a small edit', () => {
  const { regions, approximate } = diff(['a', 'b', 'c', 'd'], ['a', 'B', 'c', 'd', 'e'])
  expect(regions).toEqual([
    { aStart: 1, aEnd: 2, bStart: 1, bEnd: 2 },
    { aStart: 4, aEnd: 4, bStart: 4, bEnd: 5 },
  ])
  expect(approximate).toBe(false)
})

test('identical and empty inputs', () => {
  expect(diff([], []).regions).toEqual([])
  expect(diff(['a'], ['a']).regions).toEqual([])
  expect(diff([], ['a', 'b']).regions).toEqual([{ aStart: 0, aEnd: 0, bStart: 0, bEnd: 2 }])
  expect(diff(['a', 'b'], []).regions).toEqual([{ aStart: 0, aEnd: 2, bStart: 0, bEnd: 0 }])
})

test('regions always turn the old sequence into the new one, exact while the budget lasts', () => {
  const item = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
  fc.assert(
    fc.property(fc.array(item, { maxLength: 60 }), fc.array(item, { maxLength: 60 }), (a, b) => {
      const { regions, approximate } = diff(a, b)
      expect(apply(a, b, regions)).toEqual(b)
      expect(approximate).toBe(false)
      // Minimal: no more changed items than a longest common subsequence leaves.
      const changed = regions.reduce((n, r) => n + r.aEnd - r.aStart + r.bEnd - r.bStart, 0)
      expect(changed).toBe(a.length + b.length - 2 * lcs(a, b))
    }),
  )
})

test('many scattered edits in a long file are still located, in bounded work', () => {
  const a = Array.from({ length: 100_000 }, (_, i) => `line ${i}`)
  // 5000 edits: far more than Myers may afford (MAX_EDIT_LENGTH), all located.
  const b = a.map((l, i) => (i % 20 === 7 ? `${l} changed` : l))
  const { regions } = diff(a, b)
  expect(regions).toHaveLength(5000)
  expect(regions[0]).toEqual({ aStart: 7, aEnd: 8, bStart: 7, bEnd: 8 })
  expect(apply(a, b, regions)).toEqual(b)
})

test('a spent budget replaces what is left whole, after trimming what is common', () => {
  const a = ['same', 'x', 'y', 'z', 'end']
  const b = ['same', 'z', 'y', 'x', 'end']
  const { regions, approximate } = diff(a, b, 0)
  expect(regions).toEqual([{ aStart: 1, aEnd: 4, bStart: 1, bEnd: 4 }])
  expect(approximate).toBe(true)
})

function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0)
  for (const x of a) {
    let diag = 0
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!
      row[j] = x === b[j - 1] ? diag + 1 : Math.max(row[j]!, row[j - 1]!)
      diag = up
    }
  }
  return row[b.length]!
}
