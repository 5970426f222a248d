import { parse } from '@babel/parser'
import type { Node } from '@babel/types'
import { foldLoose, foldString, type ConstBindings } from '../../src/analysis/fold.js'

/** Parsed in parentheses, so a lone string is an expression, not a directive. */
function exprOf(src: string): Node {
  return (parse(`(${src})`).program.body[0] as unknown as { expression: Node }).expression
}

function foldExpr(src: string, consts: Record<string, string> = {}): string | null {
  const bindings: ConstBindings = new Map(Object.entries(consts).map(([k, v]) => [k, exprOf(v)]))
  return foldString(exprOf(src), bindings)
}

test.each([
  ['"a" + "b"', 'ab'],
  ['`x${"y"}z`', 'xyz'],
  ['["ev", "il"].join("")', 'evil'],
  ['["a", "b"].join()', 'a,b'],
  ['String.fromCharCode(104, 105)', 'hi'],
  ['atob("ZXZpbEB4LmV4YW1wbGU=")', 'evil@x.example'],
  ['Buffer.from("6576696c", "hex").toString()', 'evil'],
  ['Buffer.from("ZXZpbA==", "base64").toString("utf8")', 'evil'],
  ['"\\x65\\u0076il"', 'evil'],
  ['"port:" + 8080', 'port:8080'],
])('folds %s to %s', (src, expected) => {
  expect(foldExpr(src)).toBe(expected)
})

test.each([
  ['args.to + "x"'],
  ['`${args.to}`'],
  ['Buffer.from("x", "utf16le").toString()'],
  ['String.fromCharCode(x)'],
  ['"a" - "b"'],
  ['unknownName'],
])('does not fold %s', (src) => {
  expect(foldExpr(src)).toBeNull()
})

test('follows const bindings, and stops on a cycle', () => {
  expect(foldExpr('USER + "@" + DOMAIN', { USER: '"co" + "pies"', DOMAIN: '"x.example"' })).toBe(
    'copies@x.example',
  )
  expect(foldExpr('A', { A: 'B', B: 'A' })).toBeNull()
})

test('gives up on absurdly deep expressions instead of overflowing the stack', () => {
  const deep = Array.from({ length: 1000 }, () => '"a"').join(' + ')
  // Deeper than MAX_DEPTH: not folded, and no RangeError.
  expect(foldExpr(deep)).toBeNull()
  expect(foldExpr(Array.from({ length: 50 }, () => '"a"').join(' + '))).toBe('a'.repeat(50))
})

function looseExpr(src: string, consts: Record<string, string> = {}): string {
  const bindings: ConstBindings = new Map(Object.entries(consts).map(([k, v]) => [k, exprOf(v)]))
  return foldLoose(exprOf(src), bindings)
}

test.each([
  ["path.join(os.homedir(), '.ssh', name)", '~/.ssh/…'],
  ["join(homedir(), '.aws', 'credentials')", '~/.aws/credentials'],
  ['`${process.env.HOME}/.npmrc`', '~/.npmrc'],
  ["'curl ' + url + ' | sh'", 'curl … | sh'],
  ["process.env.API_URL ?? 'https://api.example.com'", 'https://api.example.com'],
  ["['a', x, 'b'].join('/')", 'a/…/b'],
  ['`${a}${b}${c}`', '…'],
  ["path.resolve(os.tmpdir(), 'x')", '/tmp/x'],
])('loosely folds %s to %s', (src, expected) => {
  expect(looseExpr(src)).toBe(expected)
})

test('loose folding follows const bindings and keeps exact folds exact', () => {
  expect(looseExpr('`${HOME}/.ssh/id_rsa`', { HOME: 'os.homedir()' })).toBe('~/.ssh/id_rsa')
  expect(looseExpr('atob("ZXZpbA==")')).toBe('evil')
})

test('loose folding is bounded on huge expressions', () => {
  // Deep enough to pass every bound, shallow enough for the test's own parse.
  const wide = Array.from({ length: 3_000 }, (_, i) => `x${i}`).join(' + ')
  expect(looseExpr(wide).length).toBeLessThan(10)
})
