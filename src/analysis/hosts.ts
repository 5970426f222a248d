// Look-alike host names: a new host one or two edits away from one the old
// version used, or the same name spelled with look-alike letters or punycode
// (api.postmarkapp.com -> api.postmark-app.com, or with a Cyrillic "а").
import { domainToUnicode } from 'node:url'
import { isIPv4, isIPv6, siteOf } from './literals.js'

const MAX_EDITS = 2
/** Below this many letters, one edit turns a name into another real one too easily. */
const MIN_NAME_FOR_TWO_EDITS = 8
const MIN_NAME = 4

/**
 * Letters that render like Latin ones (a subset of Unicode's confusables.txt:
 * Cyrillic, Greek and a few Latin variants), and digit-for-letter swaps.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a', // Cyrillic
  в: 'b',
  с: 'c',
  ԁ: 'd',
  е: 'e',
  һ: 'h',
  і: 'i',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  п: 'n',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  г: 'r',
  ѕ: 's',
  т: 't',
  ц: 'u',
  ѵ: 'v',
  ԝ: 'w',
  х: 'x',
  у: 'y',
  α: 'a', // Greek
  ο: 'o',
  ν: 'v',
  ρ: 'p',
  τ: 't',
  ι: 'i',
  κ: 'k',
  ı: 'i', // Latin variants
  ɡ: 'g',
  ł: 'l',
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '5': 's',
}

/** The host as it looks: punycode decoded, confusable letters and digits folded, `rn` as `m`. */
export function skeletonOf(host: string): string {
  const unicode = host.includes('xn--') ? domainToUnicode(host) || host : host
  let out = ''
  for (const ch of unicode.normalize('NFKC').toLowerCase()) out += CONFUSABLES[ch] ?? ch
  return out.replace(/rn/g, 'm').replace(/vv/g, 'w')
}

/** The old host a new one imitates, or null. */
export function lookalikeOf(host: string, oldHosts: ReadonlySet<string>): string | null {
  if (oldHosts.has(host) || isIPv4(host) || isIPv6(host)) return null
  const site = siteOf(host)
  const skeleton = skeletonOf(host)
  for (const old of oldHosts) {
    if (isIPv4(old) || isIPv6(old)) continue
    const oldSite = siteOf(old)
    // Another host of the same site (api. vs app.) is the same owner.
    if (oldSite === site) continue
    if (skeletonOf(old) === skeleton) return old
    if (similarSites(site, oldSite)) return old
  }
  return null
}

function similarSites(a: string, b: string): boolean {
  const name = b.split('.')[0] ?? b
  if (name.length < MIN_NAME) return false
  // The same name under another top-level domain (supabase.co, supabase.com) is
  // usually the same owner; typosquats change the name.
  if ((a.split('.')[0] ?? a) === name) return false
  const allowed = name.length >= MIN_NAME_FOR_TWO_EDITS ? MAX_EDITS : 1
  return editDistanceWithin(a, b, allowed)
}

/** Levenshtein distance <= max, computed in a band of width 2*max+1: O(n*max). */
export function editDistanceWithin(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false
  if (a.length > 255 || b.length > 255) return false
  const INF = max + 1
  let prev = new Array<number>(b.length + 1).fill(INF)
  for (let j = 0; j <= Math.min(b.length, max); j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(INF)
    if (i <= max) cur[0] = i
    let best = cur[0]!
    const from = Math.max(1, i - max)
    const to = Math.min(b.length, i + max)
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      cur[j] = Math.min(prev[j - 1]! + cost, prev[j]! + 1, cur[j - 1]! + 1, INF)
      if (cur[j]! < best) best = cur[j]!
    }
    if (best > max) return false
    prev = cur
  }
  return prev[b.length]! <= max
}
