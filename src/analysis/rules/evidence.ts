// Evidence shows what the reviewer needs to see: the source text, and the
// value it folds to when the text hides it (a decoded address, a joined path).
import { revealHidden } from '../unicode.js'

const MAX_VALUE = 160

/** `Buffer.from('ZXZpbA==', 'base64').toString() → "evil"`; the text alone when it shows the value. */
export function withValue(evidence: string, value: string): string {
  if (evidence.includes(value)) return evidence
  const shown = value.length > MAX_VALUE ? value.slice(0, MAX_VALUE) + '…' : value
  return `${evidence} → ${JSON.stringify(revealHidden(shown))}`
}

/** A shortened, single-line excerpt of untrusted text with hidden characters named. */
export function excerpt(text: string, max = MAX_VALUE): string {
  const flat = revealHidden(text.replace(/\s+/g, ' ').trim())
  return flat.length > max ? flat.slice(0, max) + '…' : flat
}
