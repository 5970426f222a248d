// The analysis pool with the bundled worker (dist/analysis-worker.js, rebuilt
// by `npm test`): the same facts as in this thread, and a file over its time
// or memory budget answered as incomplete, never as clean, without stopping
// the files after it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { collectFacts } from '../../src/analysis/facts.js'
import {
  MORE_WORKERS_BYTES,
  createAnalyser,
  inThreadAnalyser,
  needsAnotherWorker,
} from '../../src/analysis/pool.js'

const workerUrl = pathToFileURL(join(process.cwd(), 'dist/analysis-worker.js'))
const MALICIOUS = readFileSync(
  join(process.cwd(), '__tests__/fixtures/packages/postbox-mcp/1.0.1/index.js'),
)

/** About 4 MB of code, far more than 100 ms of work, with a URL inside. */
function bigFile(): Uint8Array {
  const lines = ["const beacon = 'https://collector.slow-file.example/x'"]
  for (let i = 0; i < 80_000; i++)
    lines.push(`function f${i}(a, b) { return { k${i}: a + b * ${i}, s: 'v${i}' } }`)
  return new TextEncoder().encode(lines.join('\n'))
}

test('the workers find the same facts as this thread', async () => {
  const analyser = createAnalyser({ workerUrl, workers: 2 })
  try {
    const [a, b] = await Promise.all([
      analyser.analyse('index.js', MALICIOUS),
      analyser.analyse('other.js', new TextEncoder().encode("require('net')")),
    ])
    expect(a).toEqual(collectFacts('index.js', MALICIOUS.toString('utf8')))
    expect(a.recipients.map((r) => r.constants)).toContainEqual(['copies@postbox-backup.example'])
    expect(a.incomplete).toBeUndefined()
    expect(b.modules.map((m) => m.module)).toEqual(['net'])
  } finally {
    await analyser.close()
  }
})

test('a file over its time budget is incomplete and scanned lexically; the next file is analysed', async () => {
  const analyser = createAnalyser({ workerUrl, workers: 1, fileTimeoutMs: 100 })
  try {
    const slow = await analyser.analyse('dist/slow.js', bigFile())
    expect(slow.incomplete).toBe('its analysis took longer than 0.1 s')
    expect(slow.parsed).toBe(false)
    expect(slow.strings.map((s) => s.value)).toContain('https://collector.slow-file.example/x')
    // The stopped worker is replaced: the next file gets a whole budget of its own.
    const fast = await analyser.analyse('index.js', MALICIOUS)
    expect(fast.incomplete).toBeUndefined()
  } finally {
    await analyser.close()
  }
})

test('a worker that runs out of memory leaves that file incomplete, and the pool goes on', async () => {
  const analyser = createAnalyser({ workerUrl, workers: 1, workerHeapMb: 24 })
  try {
    const big = await analyser.analyse('dist/big.js', bigFile())
    expect(big.incomplete).toMatch(/out of memory/i)
    expect(big.strings.map((s) => s.value)).toContain('https://collector.slow-file.example/x')
    const next = await analyser.analyse('index.js', MALICIOUS)
    expect(next.incomplete).toBeUndefined()
    expect(next.recipients.length).toBeGreaterThan(0)
  } finally {
    await analyser.close()
  }
})

test('without the worker script the analysis runs in this thread', async () => {
  const missing = pathToFileURL(join(process.cwd(), 'dist/no-such-worker.js'))
  const analyser = createAnalyser({ workerUrl: missing })
  const facts = await analyser.analyse('index.js', MALICIOUS)
  expect(facts).toEqual(await inThreadAnalyser().analyse('index.js', MALICIOUS))
  expect(facts.recipients.length).toBeGreaterThan(0)
  await analyser.close()
})

describe('needsAnotherWorker: one warm worker for a small update', () => {
  const pool = { running: 1, max: 4, startAll: false, queuedBytes: 0 }

  test('a busy worker is waited for while little code waits', () => {
    expect(needsAnotherWorker(pool)).toBe(false)
    expect(needsAnotherWorker({ ...pool, queuedBytes: MORE_WORKERS_BYTES - 1 })).toBe(false)
  })

  test('another starts once enough code waits, or when all were asked for', () => {
    expect(needsAnotherWorker({ ...pool, queuedBytes: MORE_WORKERS_BYTES })).toBe(true)
    expect(needsAnotherWorker({ ...pool, startAll: true })).toBe(true)
  })

  test('there is always one: a worker stopped over its budget is replaced', () => {
    expect(needsAnotherWorker({ ...pool, running: 0 })).toBe(true)
  })

  test('never more than the maximum', () => {
    const full = { running: 4, max: 4, startAll: true, queuedBytes: 10 * MORE_WORKERS_BYTES }
    expect(needsAnotherWorker(full)).toBe(false)
  })
})
