// What the pool and its workers say to each other, and the one function both
// sides run: the facts of a file from its bytes.
import { decodeText } from '../diff/text.js'
import { collectFacts, type FileFacts } from './facts.js'

export interface FactsRequest {
  id: number
  path: string
  bytes: Uint8Array
}

/** The worker's first message: loaded, listening. */
export const READY = 'ready'

export type FactsReply = { id: number; facts: FileFacts } | { id: number; error: string }

/**
 * Never skipped as binary: node runs a .js file with a NUL byte in a comment
 * or string, so one NUL must not turn the analysis off.
 */
export function analyseFile(path: string, bytes: Uint8Array): FileFacts {
  return collectFacts(path, decodeText(bytes))
}
