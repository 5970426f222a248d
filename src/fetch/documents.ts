// One request per package document and run. pacote keeps a document in the
// run's packumentCache only once it has arrived, so the old and the new
// version of a package, fetched at the same time, and the dependency lookups
// of both, would each download and parse it (zod's is 3 MB, hono's 5 MB).
import pacote from 'pacote'

type Document = Awaited<ReturnType<typeof pacote.packument>>

/** In-flight and fetched documents, per run (its packumentCache) and kind. */
const documentsOfRun = new WeakMap<object, Map<string, Promise<Document>>>()

/** pacote.packument(name), asked once per run for each name and kind (full or abbreviated). */
export function fetchPackumentOnce(name: string, opts: pacote.Options): Promise<Document> {
  const run = (opts as { packumentCache?: object }).packumentCache
  if (!run) return pacote.packument(name, opts)
  let documents = documentsOfRun.get(run)
  if (!documents) documentsOfRun.set(run, (documents = new Map()))
  const key = `${opts.fullMetadata ? 'full' : 'brief'}:${name}`
  let document = documents.get(key)
  if (!document) documents.set(key, (document = pacote.packument(name, opts)))
  return document
}
