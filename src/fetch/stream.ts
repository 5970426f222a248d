// Reading a download into memory with a bound on its size. Plain listeners,
// not async iteration: pacote and npm-registry-fetch hand out Minipass
// streams, which may emit an error at any time.

/**
 * The stream's bytes, or `tooLarge()` once they pass `maxBytes`; then `abort`
 * stops the download, and what was read is dropped.
 */
export function readBounded(
  stream: NodeJS.EventEmitter,
  maxBytes: number,
  abort: () => void,
  tooLarge: () => Error,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    stream.on('data', (chunk: Buffer | string) => {
      if (over) return
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += buf.length
      if (size <= maxBytes) return void chunks.push(buf)
      over = true
      chunks.length = 0
      abort()
    })
    // After our abort, the stream's error (or end) only means "stopped".
    stream.on('error', (err: unknown) => reject(over ? tooLarge() : err))
    stream.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks, size))))
  })
}
