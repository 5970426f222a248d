import { renderJson } from '../../src/render/json.js'
import { ReportSchema } from '../../src/schemas.js'
import type { Report } from '../../src/schemas.js'
import { criticalEmail, hostileReport, nothingToReview, unverifiedPackage } from './reports.js'

describe('renderJson', () => {
  test.each([
    ['nothing to review', nothingToReview],
    ['critical email finding', criticalEmail],
    ['unverified package', unverifiedPackage],
    ['hostile strings', hostileReport],
  ])('round-trips a report through ReportSchema: %s', (_name, report) => {
    const json = renderJson(report)
    expect(ReportSchema.parse(JSON.parse(json))).toEqual(report)
  })

  test('indents by two spaces and ends with a newline', () => {
    const json = renderJson(nothingToReview)
    expect(json).toBe(
      '{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "mcp-diff-review",\n    "version": "0.1.0"\n  },\n  "risk": "none",\n  "packages": []\n}\n',
    )
  })

  test('writes keys in schema order, whatever order the report was built in', () => {
    const pkg = criticalEmail.packages[0]!
    const shuffled = {
      packages: [Object.fromEntries(Object.entries(pkg).reverse())],
      risk: criticalEmail.risk,
      tool: { version: '0.1.0', name: 'mcp-diff-review' },
      schemaVersion: 1,
    } as Report
    const parsed = JSON.parse(renderJson(shuffled)) as Report
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'tool', 'risk', 'packages'])
    expect(Object.keys(parsed.tool)).toEqual(['name', 'version'])
    expect(Object.keys(parsed.packages[0]!)).toEqual([
      'name',
      'from',
      'to',
      'risk',
      'status',
      'riskReasons',
      'findings',
      'files',
      'hunks',
    ])
    expect(Object.keys(parsed.packages[0]!.findings[0]!)).toEqual([
      'ruleId',
      'category',
      'severity',
      'file',
      'line',
      'message',
      'evidence',
    ])
  })

  test('keeps the optional error of an unverified package in its place', () => {
    const parsed = JSON.parse(renderJson(unverifiedPackage)) as Report
    expect(Object.keys(parsed.packages[0]!).slice(4, 7)).toEqual(['status', 'error', 'riskReasons'])
  })

  test('drops fields the contract does not have', () => {
    const extra = { ...nothingToReview, debug: 'internal' } as Report
    expect(renderJson(extra)).not.toContain('debug')
  })

  test.each([
    ['a wrong schema version', { ...nothingToReview, schemaVersion: 2 }],
    ['an unknown risk', { ...nothingToReview, risk: 'severe' }],
    [
      'a line number of 0',
      {
        ...criticalEmail,
        packages: [
          {
            ...criticalEmail.packages[0]!,
            findings: [{ ...criticalEmail.packages[0]!.findings[0]!, line: 0 }],
          },
        ],
      },
    ],
    ['a missing field', { schemaVersion: 1, risk: 'none', packages: [] }],
  ])('rejects an invalid report (%s) as an internal error', (_name, report) => {
    expect(() => renderJson(report as unknown as Report)).toThrow(
      expect.objectContaining({ code: 'EINTERNAL' }),
    )
  })
})
