// Reading a local file that may be absent (a policy, an .npmrc): I/O, for the
// entry points and fetch/ only.
import { readFile } from 'node:fs/promises'
import { ReviewError } from '../errors.js'

/**
 * The file's text, or null when there is no such file. Any other failure
 * (a directory, no permission) is an error naming the file: a policy or
 * registry configuration that exists and cannot be read is never skipped.
 */
export async function readOptionalFile(path: string, what: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (code === 'ENOENT') return null
    throw new ReviewError(
      'ECONFIG',
      `${path}: cannot read ${what} (${typeof code === 'string' ? code : String(err)}); fix its permissions or point to another file`,
      { cause: err },
    )
  }
}
