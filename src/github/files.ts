// A pull request's changed files and their contents at its base and head commits.
import type { ChangeSource } from '../scope/index.js'
import { MAX_REPO_FILE_BYTES } from '../scope/git.js'
import { ReviewError } from '../errors.js'
import { statusOf, toGitHubError, type GitHubClient, type RepoRef } from './client.js'

export interface PullRequestRef extends RepoRef {
  number: number
  baseSha: string
  headSha: string
}

/** Reads through the API: no checkout of PR code is needed (safe on pull_request_target). */
export function pullRequestSource(client: GitHubClient, pr: PullRequestRef): ChangeSource {
  return {
    listChangedPaths: () => listPullRequestFiles(client, pr),
    readBase: (path) => getFileAt(client, pr, path, pr.baseSha),
    readHead: (path) => getFileAt(client, pr, path, pr.headSha),
  }
}

export async function listPullRequestFiles(
  client: GitHubClient,
  pr: PullRequestRef,
): Promise<string[]> {
  try {
    const files = await client.paginate(client.rest.pulls.listFiles, {
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      per_page: 100,
    })
    const paths = files.flatMap((f) =>
      f.previous_filename ? [f.filename, f.previous_filename] : [f.filename],
    )
    return [...new Set(paths)].sort()
  } catch (err) {
    throw toGitHubError(`listing the files of pull request #${pr.number}`, err)
  }
}

/** A file's text at a commit, with the raw media type (works past the 1 MB JSON limit); null when absent. */
export async function getFileAt(
  client: GitHubClient,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<string | null> {
  try {
    const response = await client.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.repo,
      path,
      ref,
      mediaType: { format: 'raw' },
    })
    const data = response.data as unknown
    const text = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8')
    if (text.length > MAX_REPO_FILE_BYTES) {
      throw new ReviewError(
        'ETOOLARGE',
        `${path} at ${ref.slice(0, 12)} is over the ${MAX_REPO_FILE_BYTES}-byte limit`,
      )
    }
    return text
  } catch (err) {
    if (statusOf(err) === 404) return null
    if (err instanceof ReviewError) throw err
    throw toGitHubError(`reading ${path} at ${ref.slice(0, 12)}`, err)
  }
}
