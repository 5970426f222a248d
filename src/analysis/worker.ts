// The analysis worker (dist/analysis-worker.js): parses and walks one file at
// a time for the pool in ./pool.ts. It receives bytes and a path, never a
// module to load, and answers with plain facts; it has no I/O of its own.
import { parentPort } from 'node:worker_threads'
import { analyseFile, READY, type FactsReply, type FactsRequest } from './pool-protocol.js'

const port = parentPort
if (port) {
  port.on('message', (request: FactsRequest) => {
    let reply: FactsReply
    try {
      reply = { id: request.id, facts: analyseFile(request.path, request.bytes) }
    } catch (err) {
      reply = { id: request.id, error: err instanceof Error ? err.message : String(err) }
    }
    port.postMessage(reply)
  })
  port.postMessage(READY)
}
