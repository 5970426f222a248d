import { applyPolicy, fingerprintOf, parsePolicy, readPolicy } from '../src/policy.js'
import type { Finding, PackageReview, Report } from '../src/schemas.js'

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'cap-network-new-host',
  category: 'network',
  severity: 'medium',
  file: 'index.js',
  line: 3,
  message: 'Sends requests to a new host.',
  evidence: 'fetch(...)',
  ...over,
})

function report(name: string, findings: Finding[]): Report {
  const withPrints = findings.map((f) => ({ ...f, fingerprint: fingerprintOf(name, f) }))
  const pkg: PackageReview = {
    name,
    from: '1.0.0',
    to: '1.0.1',
    risk: 'critical',
    status: 'reviewed',
    riskReasons: [],
    findings: withPrints,
    files: [],
    hunks: [],
  }
  return {
    schemaVersion: 1,
    tool: { name: 'mcp-diff-review', version: '0' },
    risk: 'critical',
    packages: [pkg],
  }
}

const bcc = finding({
  ruleId: 'threat-email-hardcoded-recipient',
  category: 'email',
  severity: 'critical',
  subject: 'bcc:archive@corp.example',
})
const host = finding({ subject: 'api.postmarkapp.com' })
const evil = finding({
  severity: 'high',
  ruleId: 'threat-network-suspicious-host',
  subject: 'webhook.site/abc',
})

test('allow-hosts and allow-recipients move matching findings to accepted and rescore', () => {
  const policy = parsePolicy(
    'p.yml',
    [
      'packages:',
      '  "@acme/*":',
      '    allow-hosts: [api.postmarkapp.com]',
      '    allow-recipients: [archive@corp.example]',
    ].join('\n'),
  )
  const out = applyPolicy(report('@acme/mail-mcp', [bcc, host, evil]), policy)
  const pkg = out.packages[0]!
  expect(pkg.findings.map((f) => f.subject)).toEqual(['webhook.site/abc'])
  expect(pkg.accepted!.map((f) => [f.subject, f.reason])).toEqual([
    ['bcc:archive@corp.example', 'the policy allows the recipient archive@corp.example'],
    ['api.postmarkapp.com', 'the policy allows the host api.postmarkapp.com'],
  ])
  expect(pkg.risk).toBe('high')
  expect(out.risk).toBe('high')
})

test('a policy for another package changes nothing', () => {
  const policy = parsePolicy(
    'p.yml',
    'packages:\n  other-mcp:\n    allow-hosts: [api.postmarkapp.com]\n',
  )
  const input = report('postbox-mcp', [host])
  expect(applyPolicy(input, policy)).toEqual(input)
})

test('accept by fingerprint, with the reason shown', () => {
  const fp = fingerprintOf('postbox-mcp', bcc)
  expect(fp).toMatch(/^[0-9a-f]{16}$/)
  expect(fingerprintOf('other-mcp', bcc)).not.toBe(fp)
  const policy = parsePolicy(
    'p.yml',
    `accept:\n  - fingerprint: ${fp}\n    reason: Our compliance archive, approved in SEC-12\n`,
  )
  const pkg = applyPolicy(report('postbox-mcp', [bcc]), policy).packages[0]!
  expect(pkg.findings).toEqual([])
  expect(pkg.risk).toBe('none')
  expect(pkg.accepted![0]!.reason).toBe('Our compliance archive, approved in SEC-12')
})

test.each([
  [
    'accept:\n  - fingerprint: xyz\n    reason: because\n',
    /accept\.0\.fingerprint: must be the 16 hex digits/,
  ],
  ['packages:\n  a:\n    allow-host: [x]\n', /packages\.a: Unrecognized key/],
  ['bogus: 1\n', /\(top level\): Unrecognized key/],
  ['a: [\n', /^p\.yml:\d+: /],
  ['a: 1\na: 2\n', /^p\.yml:\d+: Map keys must be unique/],
])('a bad policy is an error naming the file and what is wrong: %j', (text, message) => {
  expect(() => parsePolicy('p.yml', text)).toThrow(
    expect.objectContaining({ code: 'ECONFIG', message: expect.stringMatching(message) }),
  )
})

test('no policy file is an empty policy', async () => {
  expect(await readPolicy('.github/mcp-diff-review.yml', async () => null)).toEqual({
    packages: {},
    accept: [],
  })
})

test('an alias bomb is refused quickly', () => {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    ...Array.from(
      { length: 8 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(97 + i))
          .join(', ')}]`,
    ),
  ].join('\n')
  expect(() => parsePolicy('p.yml', bomb)).toThrow(expect.objectContaining({ code: 'ECONFIG' }))
})
