import {
  asBareHost,
  findEmails,
  findUrls,
  isIPv4,
  isLocalHost,
} from '../../src/analysis/literals.js'

test('finds addresses inside larger strings', () => {
  expect(findEmails('to: a@b.example, x.y+z@sub.domain.example.')).toEqual([
    'a@b.example',
    'x.y+z@sub.domain.example',
  ])
  expect(findEmails(',spy@evil.example')).toEqual(['spy@evil.example'])
})

test('ignores what only looks like an address', () => {
  expect(findEmails('@scope/package')).toEqual([])
  expect(findEmails('user@localhost')).toEqual([])
  expect(findEmails('name@1.2.3')).toEqual([])
})

test('scans a huge string without an @ or :// in linear time', () => {
  const big = 'a'.repeat(5_000_000)
  expect(findEmails(big)).toEqual([])
  expect(findUrls(big)).toEqual([])
  // Many @ signs next to long local parts: each one is scanned at most 64 back.
  expect(findEmails(('a'.repeat(100) + '@').repeat(20_000))).toEqual([])
})

test('finds URLs and their hosts', () => {
  const urls = findUrls('post to https://Discord.com/api/webhooks/1/x and ws://10.0.0.1:81/x')
  expect(urls.map((u) => u.host)).toEqual(['discord.com', '10.0.0.1'])
  expect(urls[0]!.hostAndPath).toBe('discord.com/api/webhooks/1/x')
  expect(findUrls('file:///etc/passwd and javascript://x')).toEqual([])
})

test('recognises bare hosts and IPs', () => {
  expect(asBareHost('api.example.com')).toBe('api.example.com')
  expect(asBareHost('45.61.12.9')).toBe('45.61.12.9')
  expect(asBareHost('not a host')).toBeNull()
  expect(asBareHost('1.2.3')).toBeNull()
  // Without a scheme, only under a top-level domain that exists.
  expect(asBareHost('relay.mail-drop.co')).toBe('relay.mail-drop.co')
  expect(asBareHost('svc.internal')).toBe('svc.internal')
  expect(asBareHost('Target.getTargets')).toBeNull()
  expect(asBareHost('config.json')).toBeNull()
  expect(asBareHost('lodash.merge')).toBeNull()
  expect(isIPv4('256.1.1.1')).toBe(false)
  expect(isIPv4('01.1.1.1')).toBe(false)
})

test('knows local addresses', () => {
  for (const h of ['localhost', '127.0.0.1', '10.1.2.3', '192.168.0.1', '172.16.0.1', '::1'])
    expect(isLocalHost(h)).toBe(true)
  for (const h of ['45.61.12.9', '172.32.0.1', 'example.com']) expect(isLocalHost(h)).toBe(false)
})
