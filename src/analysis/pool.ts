// Where files are analysed: in worker threads next to the bundle, a few at a
// time, each file with a time budget. Parsing and walking multi-megabyte
// bundles is most of a review's time; the workers spread it over the cores,
// and a file that is too slow or too big for its budget costs that budget and
// no more: its worker is stopped, the file is scanned lexically instead, and
// the package is reported as not fully reviewed (unverified), never as clean.
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { decodeText } from '../diff/text.js'
import { collectLexicalFacts, type FileFacts } from './facts.js'
import { analyseFile, READY, type FactsReply, type FactsRequest } from './pool-protocol.js'

export interface FactsAnalyser {
  /** The facts of one file. Never rejects: what could not be analysed comes back `incomplete`. */
  analyse(path: string, bytes: Uint8Array): Promise<FileFacts>
  /** Stops the workers. Idle workers never keep the process alive, so this is for tidiness. */
  close(): Promise<void>
}

export interface AnalyserOptions {
  /** Worker threads; 0 analyses in this thread. Default: the cores, at most 4. */
  workers?: number
  /** Budget of one file, parse and walk together. */
  fileTimeoutMs?: number
  /** The worker script; default: `analysis-worker.js` next to the bundle. */
  workerUrl?: URL
  /** Heap of one worker: a file that needs more is not fully reviewed, the run goes on. */
  workerHeapMb?: number
  /**
   * Start every worker at once (many packages to review), instead of one
   * and the others when the queue grows past MORE_WORKERS_BYTES.
   */
  startAll?: boolean
}

/** The bundled worker, next to dist/index.js and dist/cli.js. */
export const WORKER_FILE = 'analysis-worker.js'
export const DEFAULT_FILE_TIMEOUT_MS = 30_000
const DEFAULT_WORKER_HEAP_MB = 1024
const MAX_WORKERS = 4
/**
 * A second (third...) worker starts only once this much code waits: a worker
 * starts cold, and the same code runs ~3x slower until the JIT has warmed up,
 * so on a small update one warm worker finishes first (sdk 1.31 -> 1.32: 1.9 s
 * with one worker, 2.05 s with two).
 */
export const MORE_WORKERS_BYTES = 4 * 1024 * 1024
/** Loading the worker's bundle takes a tenth of a second; this long means it is stuck. */
const WORKER_START_MS = 60_000

/**
 * Worker threads when the worker script is there (the bundle); otherwise, as
 * when the sources run under a test runner, the same analysis in this thread,
 * where a file cannot be stopped once started.
 */
export function createAnalyser(options: AnalyserOptions = {}): FactsAnalyser {
  const url = options.workerUrl ?? new URL(`./${WORKER_FILE}`, import.meta.url)
  const workers = options.workers ?? Math.min(MAX_WORKERS, availableParallelism())
  if (workers < 1 || url.protocol !== 'file:' || !existsSync(fileURLToPath(url)))
    return inThreadAnalyser()
  return new WorkerPool(url, workers, {
    fileTimeoutMs: options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
    heapMb: options.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB,
    startAll: options.startAll ?? false,
  })
}

export function inThreadAnalyser(): FactsAnalyser {
  return {
    analyse: (path, bytes) => Promise.resolve(analyseFileSafely(path, bytes)),
    close: () => Promise.resolve(),
  }
}

/** What is known of a file whose analysis did not finish: the lexical scan, and why it is not more. */
export function incompleteFacts(path: string, bytes: Uint8Array, reason: string): FileFacts {
  return { ...collectLexicalFacts(path, decodeText(bytes)), incomplete: reason }
}

interface Job {
  path: string
  bytes: Uint8Array
  resolve: (facts: FileFacts) => void
}

interface Slot {
  worker: Worker
  /** Its module is loaded: the budget of a file starts then, not at the spawn. */
  ready: boolean
  job: (Job & { id: number }) | null
  timer: NodeJS.Timeout | null
  /** Keeps the process alive while the worker loads (its timer does once it runs). */
  loading: NodeJS.Timeout | null
}

class WorkerPool implements FactsAnalyser {
  private readonly slots = new Set<Slot>()
  private readonly idle: Slot[] = []
  private readonly queue: Job[] = []
  /** Bytes of the files waiting in `queue`. */
  private queuedBytes = 0
  private nextId = 1
  private closed = false
  /** A worker died before it loaded: the rest is analysed in this thread. */
  private broken = false

  constructor(
    private readonly url: URL,
    private readonly size: number,
    private readonly limits: { fileTimeoutMs: number; heapMb: number; startAll: boolean },
  ) {
    // Started now, so that they load while the packages download: all of
    // them, or one and the others when there is enough to do.
    const now = limits.startAll ? size : Math.min(size, 1)
    for (let i = 0; i < now; i++) this.idle.push(this.spawn())
  }

  analyse(path: string, bytes: Uint8Array): Promise<FileFacts> {
    if (this.closed || this.broken) return Promise.resolve(analyseFileSafely(path, bytes))
    return new Promise((resolve) => {
      this.queue.push({ path, bytes, resolve })
      this.queuedBytes += bytes.length
      this.pump()
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const slots = [...this.slots]
    for (const job of this.takeQueue()) job.resolve(analyseFileSafely(job.path, job.bytes))
    await Promise.all(slots.map((s) => this.stop(s, 'the analysis was stopped')))
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const more = needsAnotherWorker({
        running: this.slots.size,
        max: this.size,
        startAll: this.limits.startAll,
        queuedBytes: this.queuedBytes,
      })
      const slot = this.idle.pop() ?? (more ? this.spawn() : null)
      if (!slot) return
      const job = this.queue.shift()!
      this.queuedBytes -= job.bytes.length
      this.start(slot, job)
    }
  }

  /** Every waiting job, taken out of the queue. */
  private takeQueue(): Job[] {
    this.queuedBytes = 0
    return this.queue.splice(0)
  }

  private spawn(): Slot {
    const worker = new Worker(this.url, {
      // The young generation is left to V8: capped at 16 MB, each worker held
      // ~100 MB less but the 20-package PR of the bench took 1.1 s longer.
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb },
      // The worker reads nothing from the environment; it gets none of ours (tokens included).
      env: {},
    })
    // A busy worker is kept alive by its job's timer; an idle one never holds the process.
    worker.unref()
    const slot: Slot = { worker, ready: false, job: null, timer: null, loading: null }
    slot.loading = setTimeout(
      () => void this.stop(slot, 'the analysis worker did not start'),
      WORKER_START_MS,
    )
    worker.on('message', (reply: FactsReply | typeof READY) => {
      if (reply === READY) return this.started(slot)
      this.answered(slot, reply)
    })
    worker.on('error', (err) => void this.stop(slot, `analysis failed: ${messageOf(err)}`))
    worker.on('exit', () => void this.stop(slot, 'the analysis worker stopped (out of memory?)'))
    this.slots.add(slot)
    return slot
  }

  private start(slot: Slot, job: Job): void {
    const id = this.nextId++
    slot.job = { ...job, id }
    // A compact copy, transferred: a file may be a view of a larger buffer,
    // and cloning a view copies all of its buffer.
    const bytes = new Uint8Array(job.bytes)
    const request: FactsRequest = { id, path: job.path, bytes }
    slot.worker.postMessage(request, [bytes.buffer])
    if (slot.ready) this.startClock(slot)
  }

  private started(slot: Slot): void {
    slot.ready = true
    if (slot.loading) clearTimeout(slot.loading)
    slot.loading = null
    if (slot.job) this.startClock(slot)
  }

  private startClock(slot: Slot): void {
    const seconds = Math.round(this.limits.fileTimeoutMs / 100) / 10
    slot.timer = setTimeout(
      () => void this.stop(slot, `its analysis took longer than ${seconds} s`),
      this.limits.fileTimeoutMs,
    )
  }

  private answered(slot: Slot, reply: FactsReply): void {
    const job = slot.job
    if (!job || job.id !== reply.id) return
    this.release(slot)
    job.resolve(
      'facts' in reply
        ? reply.facts
        : incompleteFacts(job.path, job.bytes, `analysis failed: ${reply.error}`),
    )
    this.idle.push(slot)
    this.pump()
  }

  /** Stops a worker (timeout, crash, exit, close); its job, if any, is answered as incomplete. */
  private async stop(slot: Slot, reason: string): Promise<void> {
    const job = slot.job
    const known = this.slots.delete(slot)
    this.release(slot)
    const at = this.idle.indexOf(slot)
    if (at >= 0) this.idle.splice(at, 1)
    if (known && !slot.ready && !this.closed) {
      // Not the file's fault: the worker could not load at all.
      this.broken = true
      if (job) job.resolve(analyseFileSafely(job.path, job.bytes))
      for (const queued of this.takeQueue())
        queued.resolve(analyseFileSafely(queued.path, queued.bytes))
    } else if (job) job.resolve(incompleteFacts(job.path, job.bytes, reason))
    if (!known) return
    this.pump()
    await slot.worker.terminate().catch(() => undefined)
  }

  private release(slot: Slot): void {
    if (slot.loading) clearTimeout(slot.loading)
    slot.loading = null
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = null
    slot.job = null
  }
}

/**
 * Whether a file waiting for a busy pool should start a new worker: always
 * when there is none (one stopped over its budget is replaced), else when
 * every worker was asked for or enough code waits, up to the maximum.
 */
export function needsAnotherWorker(pool: {
  running: number
  max: number
  startAll: boolean
  queuedBytes: number
}): boolean {
  if (pool.running >= pool.max) return false
  return pool.running === 0 || pool.startAll || pool.queuedBytes >= MORE_WORKERS_BYTES
}

function analyseFileSafely(path: string, bytes: Uint8Array): FileFacts {
  try {
    return analyseFile(path, bytes)
  } catch (err) {
    return incompleteFacts(path, bytes, `analysis failed: ${messageOf(err)}`)
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
