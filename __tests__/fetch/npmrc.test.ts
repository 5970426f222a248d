import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  mergeRegistryConfigs,
  nerfDart,
  npmrcOptions,
  parseNpmrc,
  readRegistryConfig,
  secretsOf,
  withRegistryToken,
} from '../../src/fetch/npmrc.js'
import { redact } from '../../src/fetch/registry-errors.js'

describe('parseNpmrc', () => {
  test('reads the default registry, scoped registries and per-registry tokens', () => {
    const config = parseNpmrc(
      [
        '; a comment',
        '# another',
        'registry=https://registry.npmjs.org/',
        '@Acme:registry=https://npm.pkg.github.com',
        '//npm.pkg.github.com/:_authToken=ghp_example123',
        '//npm.example.com/api/npm/main/:_auth=dXNlcjpwYXNz',
        '//npm.example.com/api/npm/main/:always-auth=true',
        'fund=false',
      ].join('\n'),
      {},
    )
    expect(config.registry).toBe('https://registry.npmjs.org/')
    expect(config.scopes).toEqual({ '@acme': 'https://npm.pkg.github.com/' })
    expect(config.credentials).toEqual({
      '//npm.pkg.github.com/': { token: 'ghp_example123' },
      '//npm.example.com/api/npm/main/': { auth: 'dXNlcjpwYXNz', alwaysAuth: true },
    })
    expect(config.warnings).toEqual([])
  })

  test('expands ${VAR} from the environment, as actions/setup-node writes it', () => {
    const text = [
      '//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}',
      '@acme:registry=https://npm.pkg.github.com/',
      'always-auth=true',
    ].join('\n')
    const config = parseNpmrc(text, { NODE_AUTH_TOKEN: 'ghs_fromenv' })
    expect(config.credentials['//npm.pkg.github.com/']).toEqual({ token: 'ghs_fromenv' })
  })

  test('expands variables in keys, keeps ${VAR?} optional and \\${VAR} literal', () => {
    const config = parseNpmrc(
      ['//${HOST}/:_authToken=a${SUFFIX?}', '//other.example/:_authToken=\\${NOT_EXPANDED}'].join(
        '\n',
      ),
      { HOST: 'npm.example.com:8443' },
    )
    expect(config.credentials).toEqual({
      '//npm.example.com:8443/': { token: 'a' },
      '//other.example/': { token: '${NOT_EXPANDED}' },
    })
  })

  test('drops a token whose variable is unset (or setup-node’s placeholder), with a warning', () => {
    const text = '//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}\n'
    for (const env of [{}, { NODE_AUTH_TOKEN: 'XXXXX-XXXXX-XXXXX-XXXXX' }]) {
      const config = parseNpmrc(text, env)
      expect(config.credentials).toEqual({})
      expect(config.warnings).toEqual([
        '.npmrc line 1: NODE_AUTH_TOKEN is not set, so no _authToken is sent to //npm.pkg.github.com/',
      ])
    }
  })

  test('ignores unscoped credentials and sections, as npm does, without echoing them', () => {
    const config = parseNpmrc(
      ['_authToken=top-secret-value', '[section]', '//x.example/:_authToken=in-section'].join('\n'),
      {},
    )
    expect(config.credentials).toEqual({})
    expect(config.warnings).toHaveLength(2)
    expect(config.warnings.join('\n')).not.toContain('top-secret-value')
    expect(config.warnings.join('\n')).not.toContain('in-section')
  })

  test('reads quoted values and strips inline comments', () => {
    const config = parseNpmrc(
      [
        '//a.example/:_authToken="quoted;value"',
        "//b.example/:_authToken='single'",
        '//c.example/:_authToken=plain ; comment',
      ].join('\n'),
      {},
    )
    expect(config.credentials).toEqual({
      '//a.example/': { token: 'quoted;value' },
      '//b.example/': { token: 'single' },
      '//c.example/': { token: 'plain' },
    })
  })

  test('refuses a registry that is not an http(s) URL', () => {
    const config = parseNpmrc('registry=file:///etc/passwd\n@x:registry=nope', {})
    expect(config.registry).toBeNull()
    expect(config.scopes).toEqual({})
    expect(config.warnings).toHaveLength(2)
  })
})

describe('registry config helpers', () => {
  test('nerfDart is npm’s key for a registry URL', () => {
    expect(nerfDart('https://registry.npmjs.org')).toBe('//registry.npmjs.org/')
    expect(nerfDart('https://npm.example.com/api/npm/main/')).toBe(
      '//npm.example.com/api/npm/main/',
    )
    expect(nerfDart('http://127.0.0.1:4873/')).toBe('//127.0.0.1:4873/')
  })

  test('withRegistryToken scopes the registry-token input to its registry', () => {
    const config = withRegistryToken(parseNpmrc('', {}), 'https://npm.example.com/', 'tok_1234')
    expect(npmrcOptions(config)).toEqual({ '//npm.example.com/:_authToken': 'tok_1234' })
  })

  test('a project .npmrc wins over the user one', () => {
    const user = parseNpmrc('registry=https://user.example/\n//a.example/:_authToken=old1', {})
    const project = parseNpmrc(
      'registry=https://project.example/\n//a.example/:_authToken=new1',
      {},
    )
    const merged = mergeRegistryConfigs(user, project)
    expect(merged.registry).toBe('https://project.example/')
    expect(merged.credentials['//a.example/']).toEqual({ token: 'new1' })
  })

  test('secrets are scrubbed from text, including a base64 password decoded', () => {
    const password = Buffer.from('hunter2-pass').toString('base64')
    const config = parseNpmrc(
      `//a.example/:_authToken=tok_abcdef\n//b.example/:username=me\n//b.example/:_password=${password}`,
      {},
    )
    const text = `token tok_abcdef and hunter2-pass and ${password}`
    expect(redact(text, secretsOf(config))).toBe('token *** and *** and ***')
  })
  test('an _auth credential is scrubbed as written, decoded, and by its password alone', () => {
    const auth = Buffer.from('deploy:hunter3-pass').toString('base64')
    const config = parseNpmrc(`//a.example/:_auth=${auth}`, {})
    const text = `${auth} / deploy:hunter3-pass / hunter3-pass / deploy`
    expect(redact(text, secretsOf(config))).toBe('*** / *** / *** / deploy')
  })
})

describe('readRegistryConfig', () => {
  test('reads the user config named by NPM_CONFIG_USERCONFIG, then the project .npmrc', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npmrc-test-'))
    try {
      const user = join(dir, 'user.npmrc')
      await writeFile(
        user,
        '//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}\n@acme:registry=https://npm.pkg.github.com/\n',
      )
      await writeFile(join(dir, '.npmrc'), '@acme:registry=https://npm.acme.example/\n')
      const config = await readRegistryConfig(
        dir,
        { NPM_CONFIG_USERCONFIG: user, NODE_AUTH_TOKEN: 'tok_x1' },
        dir,
      )
      expect(config.scopes).toEqual({ '@acme': 'https://npm.acme.example/' })
      expect(config.credentials).toEqual({ '//npm.pkg.github.com/': { token: 'tok_x1' } })
      // No files at all: no configuration.
      expect(await readRegistryConfig(join(dir, 'none'), {}, join(dir, 'none'))).toEqual({
        registry: null,
        scopes: {},
        credentials: {},
        warnings: [],
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
