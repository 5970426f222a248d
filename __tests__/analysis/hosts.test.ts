import { editDistanceWithin, lookalikeOf, skeletonOf } from '../../src/analysis/hosts.js'
import { siteOf } from '../../src/analysis/literals.js'

const old = new Set(['api.postmarkapp.com', 'api.github.com', 'supabase.com', 'x.ai', '45.61.12.9'])

test.each([
  ['api.postmark-app.com', 'api.postmarkapp.com'],
  ['api.postmarkap.com', 'api.postmarkapp.com'],
  ['api.xn--gthub-n4a.com', 'api.github.com'],
  ['api.githuh.com', 'api.github.com'],
  ['api.g1thub.com', 'api.github.com'],
])('%s imitates %s', (host, original) => {
  expect(lookalikeOf(host, old)).toBe(original)
})

test.each([
  ['app.postmarkapp.com'], // the same site
  ['api.postmarkapp.com'], // the same host
  ['supabase.co'], // the same name under another top-level domain
  ['api.gitlab.com'], // three edits
  ['y.ai'], // too short to judge
  ['45.61.12.8'], // IPs are not names
  ['api.sendgrid.com'],
])('%s does not imitate an old host', (host) => {
  expect(lookalikeOf(host, old)).toBeNull()
})

test('skeletons fold look-alike letters and punycode', () => {
  expect(skeletonOf('xn--pple-43d.com')).toBe('apple.com')
  expect(skeletonOf('rnicrosoft.com')).toBe('microsoft.com')
})

test('edit distance within a bound, in a band', () => {
  expect(editDistanceWithin('kitten', 'sitting', 3)).toBe(true)
  expect(editDistanceWithin('kitten', 'sitting', 2)).toBe(false)
  expect(editDistanceWithin('a'.repeat(250), 'b'.repeat(250), 2)).toBe(false)
})

test('registrable sites', () => {
  expect(siteOf('api.postmarkapp.com')).toBe('postmarkapp.com')
  expect(siteOf('a.b.example.co.uk')).toBe('example.co.uk')
  expect(siteOf('10.0.0.1')).toBe('10.0.0.1')
})
