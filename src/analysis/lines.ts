// Offsets to 1-based line numbers, for facts found by scanning text.

/** The offset at which each line starts. */
export function lineIndex(code: string): number[] {
  const starts = [0]
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) starts.push(i + 1)
  return starts
}

/** The 1-based line of an offset, by binary search over `lineIndex`. */
export function lineOf(starts: number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}
