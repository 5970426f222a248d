// Where two sequences (the lines of a file, the tokens of a long line) differ,
// as replaced ranges, in bounded time whatever the input.
//
// The order of the steps is git's and npm's `diff` package's: strip the common
// prefix and suffix, then Myers' minimal diff while it is cheap. What Myers
// cannot afford (many edits in a long file, a rewritten minified bundle) is
// cut at anchors, lines that occur once in each side (patience diff, as
// `git diff --patience`), and each gap between anchors is diffed the same way.
// A gap with no anchor that Myers cannot afford is one replaced range, and
// the result is marked approximate. Every step is charged to a budget, so a
// hostile file costs the budget and no more.

/** Half-open ranges: `a[aStart, aEnd)` was replaced by `b[bStart, bEnd)`. */
export interface Region {
  aStart: number
  aEnd: number
  bStart: number
  bEnd: number
}

export interface RegionDiff {
  /** In order, never overlapping, never adjacent on both sides. */
  regions: Region[]
  /** Some range was replaced whole without proof that it has nothing in common. */
  approximate: boolean
}

/** Work units (comparisons, diagonals, anchor candidates) one diff may spend. */
export interface Budget {
  steps: number
}

/** Myers' D: beyond this many inserted plus deleted items, anchors first. */
export const MAX_EDIT_LENGTH = 2_000
/**
 * Steps one Myers attempt may spend before it gives up: 64 a line (enough
 * for a few dozen scattered edits, whatever the length), at least enough for
 * any D on a short range. A failed attempt then costs about what the anchor
 * pass after it costs, and the gaps between anchors get attempts of their own.
 */
const ATTEMPT_STEPS = 4_000_000
const MIN_ATTEMPT_STEPS = 250_000
const ATTEMPT_STEPS_PER_ITEM = 64
/** Steps per file, its long lines included (~10 ns each). */
export const FILE_DIFF_STEPS = 10_000_000

export function newBudget(steps = FILE_DIFF_STEPS): Budget {
  return { steps }
}

/** A budget of its own for one part of a larger job, charged back to it by `spend`. */
export function subBudget(parent: Budget, steps: number): Budget & { spend(): void } {
  const start = Math.max(0, Math.min(steps, parent.steps))
  const sub = {
    steps: start,
    spend: () => {
      parent.steps -= start - sub.steps
    },
  }
  return sub
}

/** Both sequences as small integers: one id per distinct item. */
export function internAll(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>()
  const intern = (items: readonly string[]): Int32Array => {
    const out = new Int32Array(items.length)
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!
      let id = ids.get(item)
      if (id === undefined) ids.set(item, (id = ids.size))
      out[i] = id
    }
    return out
  }
  return [intern(a), intern(b)]
}

export function diffSequences(a: Int32Array, b: Int32Array, budget: Budget): RegionDiff {
  const regions: Region[] = []
  let approximate = false
  const pending: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]]
  while (pending.length) {
    let [aLo, aHi, bLo, bHi] = pending.pop()!
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      aLo++
      bLo++
    }
    while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) {
      aHi--
      bHi--
    }
    budget.steps -= aHi - aLo + (bHi - bLo)
    if (aLo === aHi && bLo === bHi) continue
    const whole = { aStart: aLo, aEnd: aHi, bStart: bLo, bEnd: bHi }
    if (aLo === aHi || bLo === bHi) {
      regions.push(whole)
      continue
    }
    if (budget.steps <= 0) {
      regions.push(whole)
      approximate = true
      continue
    }
    const found = myers(a, aLo, aHi, b, bLo, bHi, budget)
    if (found) {
      regions.push(...found)
      continue
    }
    const anchors = findAnchors(a, aLo, aHi, b, bLo, bHi, budget)
    if (anchors.length === 0) {
      regions.push(whole)
      approximate = true
      continue
    }
    // The gaps between anchors, pushed last-first so they come off in order.
    const gaps: Array<[number, number, number, number]> = []
    let prevA = aLo
    let prevB = bLo
    for (const [i, j] of anchors) {
      gaps.push([prevA, i, prevB, j])
      prevA = i + 1
      prevB = j + 1
    }
    gaps.push([prevA, aHi, prevB, bHi])
    for (let g = gaps.length - 1; g >= 0; g--) pending.push(gaps[g]!)
  }
  regions.sort((x, y) => x.aStart - y.aStart || x.bStart - y.bStart)
  return { regions: mergeAdjacent(regions), approximate }
}

/**
 * Myers' greedy forward search with a copy of each round's furthest points,
 * to walk the path back. Null when the edit is longer than MAX_EDIT_LENGTH or
 * costs more than the attempt may spend: memory is O(D²), time O((N+M)·D).
 */
function myers(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  budget: Budget,
): Region[] | null {
  const n = aHi - aLo
  const m = bHi - bLo
  const maxD = Math.min(MAX_EDIT_LENGTH, n + m)
  const attempt = Math.min(
    ATTEMPT_STEPS,
    budget.steps,
    Math.max(MIN_ATTEMPT_STEPS, ATTEMPT_STEPS_PER_ITEM * (n + m)),
  )
  let allowance = attempt
  const offset = maxD + 1
  const v = new Int32Array(2 * maxD + 3)
  const trace: Int32Array[] = []
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1
      let y = x - k
      const x0 = x
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++
        y++
      }
      allowance -= 1 + x - x0
      v[offset + k] = x
      if (x >= n && y >= m) {
        budget.steps -= attempt - allowance
        trace.push(v.slice(offset - d, offset + d + 1))
        return backtrack(trace, n, m, aLo, bLo)
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1))
    if (allowance <= 0) break
  }
  budget.steps -= attempt - allowance
  return null
}

/** The edit path found by myers(), as replaced ranges in order. */
function backtrack(trace: Int32Array[], n: number, m: number, aLo: number, bLo: number): Region[] {
  const steps: Region[] = [] // one inserted or deleted item each, last first
  let x = n
  let y = m
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1]! // furthest x per diagonal after d-1 edits, index k + d - 1
    const k = x - y
    const down = k === -d || (k !== d && prev[k - 1 + d - 1]! < prev[k + 1 + d - 1]!)
    const prevK = down ? k + 1 : k - 1
    const prevX = prev[prevK + d - 1]!
    const prevY = prevX - prevK
    steps.push({
      aStart: prevX,
      aEnd: down ? prevX : prevX + 1,
      bStart: prevY,
      bEnd: down ? prevY + 1 : prevY,
    })
    x = prevX
    y = prevY
  }
  const regions: Region[] = []
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!
    const last = regions[regions.length - 1]
    if (last && last.aEnd === aLo + s.aStart && last.bEnd === bLo + s.bStart) {
      last.aEnd = aLo + s.aEnd
      last.bEnd = bLo + s.bEnd
    } else {
      regions.push({
        aStart: aLo + s.aStart,
        aEnd: aLo + s.aEnd,
        bStart: bLo + s.bStart,
        bEnd: bLo + s.bEnd,
      })
    }
  }
  return regions
}

/**
 * Items that occur exactly once in each range, kept in the longest run that is
 * in the same order on both sides (patience sorting): [index in a, index in b].
 */
function findAnchors(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  budget: Budget,
): Array<[number, number]> {
  budget.steps -= 2 * (aHi - aLo + (bHi - bLo))
  // id -> index where it occurs once, or -1 when it occurs more often.
  const inA = new Map<number, number>()
  for (let i = aLo; i < aHi; i++) inA.set(a[i]!, inA.has(a[i]!) ? -1 : i)
  const inB = new Map<number, number>()
  for (let j = bLo; j < bHi; j++) if (inA.has(b[j]!)) inB.set(b[j]!, inB.has(b[j]!) ? -1 : j)
  const pairs: Array<[number, number]> = []
  for (let j = bLo; j < bHi; j++) {
    const i = inA.get(b[j]!)
    if (i !== undefined && i >= 0 && inB.get(b[j]!) === j) pairs.push([i, j])
  }
  // pairs are in b order; the longest increasing run of their a indices.
  return longestIncreasing(pairs)
}

function longestIncreasing(pairs: Array<[number, number]>): Array<[number, number]> {
  const tails: number[] = [] // index into pairs of the smallest tail of each length
  const back = new Int32Array(pairs.length)
  for (let p = 0; p < pairs.length; p++) {
    const ai = pairs[p]![0]
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (pairs[tails[mid]!]![0] < ai) lo = mid + 1
      else hi = mid
    }
    back[p] = lo > 0 ? tails[lo - 1]! : -1
    tails[lo] = p
  }
  const out: Array<[number, number]> = []
  for (let p = tails.length ? tails[tails.length - 1]! : -1; p >= 0; p = back[p]!) {
    out.push(pairs[p]!)
  }
  return out.reverse()
}

/** Regions that touch on both sides (from neighbouring gaps) become one. */
function mergeAdjacent(regions: Region[]): Region[] {
  const out: Region[] = []
  for (const r of regions) {
    const last = out[out.length - 1]
    if (last && last.aEnd === r.aStart && last.bEnd === r.bStart) {
      last.aEnd = r.aEnd
      last.bEnd = r.bEnd
    } else {
      out.push({ ...r })
    }
  }
  return out
}
