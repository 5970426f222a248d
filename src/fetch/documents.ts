// One request per package document and run. pacote keeps a document in the
// run's packumentCache only once it has arrived, so the old and the new
// version of a package, fetched at the same time, and the dependency lookups
// of both, would each download and parse it (zod's is 3 MB, hono's 5 MB).
import pacote from 'pacote'

type Document = Awaited<ReturnType<typeof pacote.packument>>

/** Work in flight or done, per run (its packumentCache object) and key. */
const workOfRun = new WeakMap<object, Map<string, Promise<unknown>>>()

/**
 * `make()` once per run for each key: later callers share the first promise.
 * Without a packumentCache there is no run to share with, and each call works.
 */
export function oncePerRun<T>(
  opts: pacote.Options,
  key: string,
  make: () => Promise<T>,
): Promise<T> {
  const run = (opts as { packumentCache?: object }).packumentCache
  if (!run) return make()
  let work = workOfRun.get(run)
  if (!work) workOfRun.set(run, (work = new Map()))
  let promise = work.get(key) as Promise<T> | undefined
  if (!promise) work.set(key, (promise = make()))
  return promise
}

/** pacote.packument(name), asked once per run for each name and kind (full or abbreviated). */
export function fetchPackumentOnce(name: string, opts: pacote.Options): Promise<Document> {
  const kind = opts.fullMetadata ? 'full' : 'brief'
  return oncePerRun(opts, `document:${kind}:${name}`, () => pacote.packument(name, opts))
}
