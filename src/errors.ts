// One error type for everything the user can act on. The entry points print
// `message` as one line (CLI: stderr and exit 2; action: setFailed).
export type ErrorCode =
  | 'EUSAGE' // bad flag, input or argument
  | 'ESPEC' // a package spec we refuse or cannot parse
  | 'EFETCH' // the registry or URL did not give us the tarball
  | 'EUNPUBLISHED' // the registry no longer has the version
  | 'EINTEGRITY' // the bytes do not match the recorded integrity
  | 'ETOOLARGE' // a size bound was hit
  | 'EARCHIVE' // the tarball is not a readable gzip/tar archive
  | 'EMANIFEST' // package.json missing or not valid JSON
  | 'ELOCKPARSE' // a lockfile we cannot parse (the message names file and line)
  | 'ECONFIG' // an MCP client config or our own config file we cannot parse
  | 'EGIT' // a git command failed (bad ref, not a repository)
  | 'EGITHUB' // the GitHub API refused or failed
  | 'EANALYSIS' // a file's analysis ran out of its time or memory budget
  | 'EINTERNAL'

export class ReviewError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ReviewError'
    this.code = code
  }
}

export function isReviewError(err: unknown): err is ReviewError {
  return err instanceof ReviewError
}

/**
 * One line for the user: the code and what to do. Unescaped: each entry point
 * escapes it for its own output (terminal, workflow log).
 */
export function describeError(err: unknown): string {
  if (isReviewError(err)) return `${err.code}: ${err.message}`
  const message = err instanceof Error ? err.message : String(err)
  return `internal error: ${message} (please report this at the project's issue tracker)`
}
