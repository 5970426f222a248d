// The one sticky review comment on a pull request: found by its marker, updated in place.
import { COMMENT_MARKER } from '../render/markdown.js'
import { toGitHubError, type GitHubClient, type RepoRef } from './client.js'

export interface StickyComment {
  id: number
  body: string
}

/**
 * Our comment: starts with the marker and was written by a bot (the Actions
 * token or an app). A PR author's own comment with the marker is never taken,
 * so it cannot be used to make us edit someone else's words.
 */
export async function findStickyComment(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
): Promise<StickyComment | null> {
  try {
    const comments = await client.paginate(client.rest.issues.listComments, {
      owner: repo.owner,
      repo: repo.repo,
      issue_number: number,
      per_page: 100,
    })
    const ours = comments.find((c) => c.body?.startsWith(COMMENT_MARKER) && c.user?.type === 'Bot')
    return ours ? { id: ours.id, body: ours.body ?? '' } : null
  } catch (err) {
    throw toGitHubError(`listing the comments of pull request #${number}`, err)
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
