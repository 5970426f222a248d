import { buildVersionView, type FactsCache } from '../../src/analysis/index.js'
import type { PackageContents } from '../../src/fetch/types.js'

const contents = (o: Record<string, string>): PackageContents => ({
  files: new Map(Object.entries(o).map(([k, v]) => [k, new TextEncoder().encode(v)])),
  archiveIssues: [],
  incomplete: null,
})

const code = "const https = require('https')\nhttps.get('https://api.example.com/v1')\n"

test('an unchanged file is parsed once for both versions', () => {
  const cache: FactsCache = new Map()
  const before = buildVersionView(contents({ 'index.js': code, 'a.js': 'x()\n' }), cache)
  const after = buildVersionView(contents({ 'index.js': code, 'a.js': 'y()\n' }), cache)
  expect(cache.size).toBe(3)
  const facts = (v: typeof before): unknown => v.code.find((f) => f.path === 'index.js')
  expect(facts(after)).toBe(facts(before))
})

test('a moved file is parsed once too, and its facts carry the new path', () => {
  const cache: FactsCache = new Map()
  const before = buildVersionView(contents({ 'lib/client.js': code }), cache)
  const after = buildVersionView(contents({ 'dist/client.js': code }), cache)
  expect(cache.size).toBe(1)
  expect(after.code.map((f) => f.path)).toEqual(['dist/client.js'])
  expect(before.code.map((f) => f.path)).toEqual(['lib/client.js'])
  expect(after.code[0]!.strings).toBe(before.code[0]!.strings)
})

test('the same bytes under another extension are parsed again: the parser reads the extension', () => {
  const cache: FactsCache = new Map()
  buildVersionView(contents({ 'client.js': code }), cache)
  buildVersionView(contents({ 'client.ts': code }), cache)
  expect(cache.size).toBe(2)
})
