// The one sticky review comment on a pull request: found by its marker, updated in place.
import { COMMENT_MARKER } from '../render/markdown.js'
import { statusOf, toGitHubError, type GitHubClient, type RepoRef } from './client.js'

export interface StickyComment {
  id: number
  body: string
}

/**
 * Our comment: starts with the marker and was written by whoever our token
 * writes as. A user's token (github-token set to a personal access token)
 * writes as that user, and GitHub names the user; the Actions token and an
 * app's write as a bot, and GitHub names no user for them, so any bot's
 * marked comment is taken. A PR author's own comment with the marker is never
 * taken, so it cannot be used to make us edit someone else's words.
 */
export async function findStickyComment(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
): Promise<StickyComment | null> {
  let comments
  try {
    comments = await client.paginate(client.rest.issues.listComments, {
      owner: repo.owner,
      repo: repo.repo,
      issue_number: number,
      per_page: 100,
    })
  } catch (err) {
    throw toGitHubError(`listing the comments of pull request #${number}`, err)
  }
  const marked = comments.filter((c) => c.body?.startsWith(COMMENT_MARKER))
  if (marked.length === 0) return null
  const login = await getTokenLogin(client)
  const ours = marked.find((c) =>
    login === null ? c.user?.type === 'Bot' : c.user?.login === login,
  )
  return ours ? { id: ours.id, body: ours.body ?? '' } : null
}

/**
 * The user our token writes as; null for the Actions token and an app's,
 * which GitHub answers with 403 ("Resource not accessible by integration").
 */
async function getTokenLogin(client: GitHubClient): Promise<string | null> {
  try {
    const { data } = await client.rest.users.getAuthenticated()
    return data.login
  } catch (err) {
    const status = statusOf(err)
    if (status === 403 || status === 401 || status === 404) return null
    throw toGitHubError('asking whom the token writes as (GET /user)', err)
  }
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged'

export async function upsertStickyComment(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  existing: StickyComment | null,
  body: string,
): Promise<CommentOutcome> {
  try {
    if (existing?.body === body) return 'unchanged'
    if (existing) {
      await client.rest.issues.updateComment({
        owner: repo.owner,
        repo: repo.repo,
        comment_id: existing.id,
        body,
      })
      return 'updated'
    }
    await client.rest.issues.createComment({
      owner: repo.owner,
      repo: repo.repo,
      issue_number: number,
      body,
    })
    return 'created'
  } catch (err) {
    throw toGitHubError(`posting the review comment on pull request #${number}`, err)
  }
}
