// Offsets to 1-based line numbers, for every fact of package code. Lines end
// where the diff splits them (splitLines: \r\n, \n or \r), so a finding's
// line is the line the review shows. The parser's own line numbers are not
// used: it also breaks lines at U+2028 and U+2029, even inside strings, and a
// package could use them to point its findings at another line.

/** The offset at which each line starts. */
export function lineIndex(code: string): number[] {
  const starts = [0]
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i)
    if (c === 10) starts.push(i + 1)
    else if (c === 13) {
      if (code.charCodeAt(i + 1) === 10) i++
      starts.push(i + 1)
    }
  }
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

/** The 1-based line of the first `"key":` in JSON text (else of `"key"`), or null. */
export function lineOfKey(text: string, key: string): number | null {
  const quoted = JSON.stringify(key)
  const at = text.indexOf(`${quoted}:`)
  const loose = at === -1 ? text.indexOf(quoted) : at
  return loose === -1 ? null : lineOf(lineIndex(text), loose)
}
