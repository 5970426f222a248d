import { readFileSync } from 'node:fs'
import { parseCliArgs, readActionConfig } from '../src/config.js'
import { ReviewError } from '../src/errors.js'
import { VERSION } from '../src/version.js'

function usageError(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ReviewError)
    expect((err as ReviewError).code).toBe('EUSAGE')
    return (err as Error).message
  }
  throw new Error('expected a usage error')
}

test('compare with defaults', () => {
  expect(parseCliArgs(['compare', 'a@1.0.0', 'a@1.0.1'])).toEqual({
    mode: 'compare',
    from: 'a@1.0.0',
    to: 'a@1.0.1',
    format: 'markdown',
    failOn: 'high',
    failOnUnverified: true,
    minReleaseAgeHours: 48,
    policyPath: '.github/mcp-diff-review.yml',
    fileTimeoutSeconds: 30,
  })
})

test('compare with every flag', () => {
  expect(
    parseCliArgs([
      'compare',
      'a.tgz',
      'b.tgz',
      '--format=json',
      '--fail-on',
      'never',
      '--allow-unverified',
      '--registry',
      'http://127.0.0.1:4873/',
      '--output',
      'r.json',
      '--file-timeout',
      '2.5',
      '--jobs',
      '0',
    ]),
  ).toMatchObject({
    format: 'json',
    failOn: 'never',
    failOnUnverified: false,
    registry: 'http://127.0.0.1:4873/',
    output: 'r.json',
    fileTimeoutSeconds: 2.5,
    jobs: 0,
  })
})

test('--file-timeout and --jobs: a bad value names the flag', () => {
  expect(() => parseCliArgs(['compare', 'a', 'b', '--file-timeout', '0'])).toThrow(/--file-timeout/)
  expect(() => parseCliArgs(['compare', 'a', 'b', '--jobs', 'many'])).toThrow(/--jobs/)
  expect(() => parseCliArgs(['compare', 'a', 'b', '--jobs', '1.5'])).toThrow(/--jobs/)
})

test('pr with defaults and with scope flags', () => {
  expect(parseCliArgs(['pr'])).toMatchObject({
    mode: 'pr',
    repo: process.cwd(),
    scope: 'mcp',
    packages: [],
    ignorePackages: [],
  })
  expect(
    parseCliArgs([
      'pr',
      '--base',
      'main',
      '--head',
      'HEAD',
      '--repo',
      '/r',
      '--scope',
      'all',
      '--packages',
      'a,b',
      '--ignore-packages',
      'c',
    ]),
  ).toMatchObject({
    base: 'main',
    head: 'HEAD',
    repo: '/r',
    scope: 'all',
    packages: ['a', 'b'],
    ignorePackages: ['c'],
  })
  expect(usageError(() => parseCliArgs(['pr', 'extra']))).toMatch(
    /^pr takes no positional arguments/,
  )
  expect(usageError(() => parseCliArgs(['pr', '--scope', 'some']))).toBe(
    '--scope has an invalid value "some". Allowed: mcp, all.',
  )
})

test('bad flags name the flag and the allowed values', () => {
  expect(usageError(() => parseCliArgs(['compare', 'a', 'b', '--format', 'xml']))).toBe(
    '--format has an invalid value "xml". Allowed: markdown, json.',
  )
  expect(usageError(() => parseCliArgs(['compare', 'a', 'b', '--registry', 'ftp://x']))).toMatch(
    /^--registry has an invalid value "ftp:\/\/x"/,
  )
  expect(usageError(() => parseCliArgs([]))).toMatch(/Missing command/)
})

test('action inputs: defaults, and a bad value names the input', () => {
  const inputs: Record<string, string> = {
    package: 'postbox-mcp',
    from: '1.0.0',
    'github-token': 't',
  }
  expect(readActionConfig((n) => inputs[n] ?? '')).toEqual({
    packageName: 'postbox-mcp',
    from: '1.0.0',
    to: 'latest',
    failOn: 'high',
    failOnUnverified: true,
    githubToken: 't',
    scope: 'mcp',
    packages: [],
    ignorePackages: [],
    comment: 'always',
    minReleaseAgeHours: 48,
    policyPath: '.github/mcp-diff-review.yml',
    fileTimeoutSeconds: 30,
  })
  expect(
    readActionConfig(
      (n) =>
        ({
          packages: '@corp/*,\n extra-mcp ',
          'ignore-packages': 'x',
          scope: 'all',
          comment: 'on-findings',
        })[n] ?? '',
    ),
  ).toMatchObject({
    packages: ['@corp/*', 'extra-mcp'],
    ignorePackages: ['x'],
    scope: 'all',
    comment: 'on-findings',
  })
  expect(usageError(() => readActionConfig((n) => ({ comment: 'sometimes' })[n] ?? ''))).toBe(
    'comment has an invalid value "sometimes". Allowed: always, on-findings, never.',
  )
  expect(usageError(() => readActionConfig((n) => ({ ...inputs, 'fail-on': 'hi' })[n] ?? ''))).toBe(
    'fail-on has an invalid value "hi". Allowed: none, low, medium, high, critical, never.',
  )
  expect(
    usageError(() =>
      readActionConfig((n) => ({ ...inputs, 'fail-on-unverified': 'yes' })[n] ?? ''),
    ),
  ).toMatch(/^Input "fail-on-unverified" must be "true" or "false"/)
})

test('the reported version is package.json\u2019s', () => {
  expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version)
})
