import { resolve } from 'node:path'
import { isReviewError } from '../../src/errors.js'
import { parseSpec, redactSecrets } from '../../src/fetch/spec.js'

describe('parseSpec accepts', () => {
  test.each([
    ['foo@1.2.3', 'foo', '1.2.3', 'version'],
    ['foo@latest', 'foo', 'latest', 'tag'],
    ['foo@next', 'foo', 'next', 'tag'],
    ['foo@^1.2.0', 'foo', '^1.2.0', 'range'],
    ['foo', 'foo', '*', 'range'],
    ['@scope/mcp-server@0.4.1', '@scope/mcp-server', '0.4.1', 'version'],
    ['@scope/mcp-server@>=1 <2', '@scope/mcp-server', '>=1 <2', 'range'],
  ])('registry spec %s', (spec, name, selector, selectorType) => {
    const parsed = parseSpec(spec)
    expect(parsed).toEqual({
      kind: 'registry',
      raw: spec,
      name,
      selector,
      selectorType,
      alias: null,
      pacoteSpec: `${name}@${selector}`,
    })
  })

  test.each([
    ['my-alias@npm:real-pkg@1.0.0', 'my-alias', 'real-pkg', '1.0.0'],
    ['npm:@scope/real@^2', null, '@scope/real', '^2'],
  ])('npm: alias %s resolves to the real package', (spec, alias, name, selector) => {
    expect(parseSpec(spec)).toEqual(
      expect.objectContaining({
        kind: 'registry',
        alias,
        name,
        selector,
        pacoteSpec: `${name}@${selector}`,
      }),
    )
  })

  test.each([
    ['./pkg-1.0.0.tgz', resolve('pkg-1.0.0.tgz')],
    ['/tmp/pkg.tar.gz', '/tmp/pkg.tar.gz'],
    ['file:../x/pkg.tgz', resolve('../x/pkg.tgz')],
    ['pkg.tgz', resolve('pkg.tgz')],
  ])('local tarball %s', (spec, path) => {
    expect(parseSpec(spec)).toEqual(
      expect.objectContaining({ kind: 'file', path, pacoteSpec: path }),
    )
  })

  test.each([
    'https://registry.example.com/foo/-/foo-1.0.0.tgz',
    'http://127.0.0.1:4873/foo/-/foo-1.0.0.tgz',
    'foo@https://example.com/foo.tgz',
  ])('tarball URL %s', (spec) => {
    expect(parseSpec(spec)).toEqual(expect.objectContaining({ kind: 'remote' }))
  })
})

describe('parseSpec refuses', () => {
  const refusal = (spec: string): string => {
    try {
      parseSpec(spec)
    } catch (err) {
      expect(isReviewError(err) && err.code).toBe('ESPEC')
      const message = (err as Error).message
      expect(message).not.toContain('\n')
      return message
    }
    throw new Error(`${spec} was accepted`)
  }

  test.each([
    'github:user/repo',
    'user/repo',
    'user/repo#v1.0.0',
    'git+https://github.com/user/repo.git',
    'git+ssh://git@github.com/user/repo.git',
    'git@github.com:user/repo.git',
    'https://github.com/user/repo',
    'gitlab:user/repo',
    'foo@github:user/repo',
  ])('git spec %s, saying why and what to give instead', (spec) => {
    const message = refusal(spec)
    expect(message).toMatch(/^refusing git spec/)
    expect(message).toContain('prepare script')
    expect(message).toContain('registry version')
    expect(message).toContain('.tgz')
  })

  test.each(['./some-dir', '../other', 'file:./dir', '/tmp'])('directory spec %s', (spec) => {
    const message = refusal(spec)
    expect(message).toMatch(/^refusing directory spec/)
    expect(message).toContain('prepare script')
  })

  test.each([
    ['', /empty/],
    ['   ', /empty/],
    ['ftp://example.com/foo.tgz', /ftp/],
    ['foo@npm:github:user/repo', /foo@npm:github:user\/repo/],
    ['@scope/', /@scope\//],
    ['foo bar@1', /foo bar@1/],
  ])('bad input %j, naming it', (spec, pattern) => {
    expect(refusal(spec)).toMatch(pattern)
  })

  test('never echoes credentials in a spec', () => {
    const message = refusal('git+https://user:s3cret@github.com/user/repo.git')
    expect(message).not.toContain('s3cret')
    expect(message).toContain('***@github.com')
  })
})

describe('redactSecrets', () => {
  test.each([
    ['https://user:pass@host/x.tgz', 'https://***@host/x.tgz'],
    ['https://token@host/x.tgz', 'https://***@host/x.tgz'],
    ['//registry.npmjs.org/:_authToken=npm_abc123', '//registry.npmjs.org/:_authToken=***'],
    ['{"_authToken":"abc"}', '{"_authToken":"***"}'],
    ['authorization: Bearer abc.def', 'authorization: Bearer ***'],
    ['foo@1.2.3 has no secrets', 'foo@1.2.3 has no secrets'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })
})
