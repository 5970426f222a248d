// The only place that talks to the GitHub API. The client is created by run(), never at import.
import { getOctokit } from '@actions/github'
import { ReviewError } from '../errors.js'

export type GitHubClient = ReturnType<typeof getOctokit>

export interface RepoRef {
  owner: string
  repo: string
}

/** GITHUB_API_URL (set by the runner, and by our tests) decides where requests go. */
export function createGitHubClient(token: string): GitHubClient {
  const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com'
  return getOctokit(token, { baseUrl })
}

/** The HTTP status of an Octokit error, or null. */
export function statusOf(err: unknown): number | null {
  const status = (err as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : null
}

/** An Octokit error as one line: what we did, GitHub's status and message. */
export function toGitHubError(what: string, err: unknown): ReviewError {
  const status = statusOf(err)
  const message = (err as { message?: unknown } | null)?.message
  const said = typeof message === 'string' ? message.split('\n')[0] : String(err)
  return new ReviewError('EGITHUB', `${what}: GitHub answered ${status ?? 'no status'} (${said})`, {
    cause: err,
  })
}
