// A temp dir we own for pacote's cache: created per run, removed after it.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-diff-review-'))
  try {
    return await fn(dir)
  } finally {
    // Retries ride out a straggling cache write; a dir we cannot remove is
    // left in the OS temp dir rather than failing a finished review.
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => {})
  }
}

/** The user's cache dir (kept, created if missing), or a temp dir for this run. */
export async function withCacheDir<T>(
  dir: string | undefined,
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  if (!dir) return withTempDir(fn)
  await mkdir(dir, { recursive: true })
  return fn(dir)
}
