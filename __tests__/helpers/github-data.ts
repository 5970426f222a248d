// The local GitHub server's data (./github-server.ts): its state, the JSON
// bodies GitHub would answer with, made from it, and the diffs of its trees
// that pull request files and comparisons show.
import { createHash } from 'node:crypto'
import { structuredPatch } from 'diff'
import type {
  ChangedFileSeed,
  DiffStatus,
  FailureOptions,
  PathPattern,
  RecordedRequest,
  RepoPermissions,
  StoredComment,
  Violation,
} from './github-server.js'

/** The login GITHUB_TOKEN acts as: the author of comments the action creates. */
export const BOT_LOGIN = 'github-actions[bot]'

export interface State {
  url: string
  token: string | null
  readOnly: boolean
  actor: string
  /** By lower-case "owner/name": GitHub's names are case-insensitive. */
  repos: Map<string, RepoState>
  users: Map<string, number>
  counters: { repo: number; comment: number; user: number }
  requests: RecordedRequest[]
  violations: Violation[]
  failures: Failure[]
  corruptions: Corruption[]
}

export interface Failure extends FailureOptions {
  method: string
  path: PathPattern
  status: number
}

export interface Corruption {
  method: string
  path: PathPattern
  mutate: (body: unknown) => unknown
}

export interface RepoState {
  owner: string
  name: string
  id: number
  defaultBranch: string
  private: boolean
  fork: boolean
  permissions: RepoPermissions | null
  /** ref or sha -> path -> bytes */
  trees: Map<string, Map<string, Uint8Array>>
  /** branch -> sha, where a seed said */
  refShas: Map<string, string>
  pulls: Map<number, PullState>
  comments: StoredComment[]
}

export interface PullState {
  number: number
  id: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  user: string
  createdAt: string
  base: { ref: string; sha: string }
  head: { ref: string; sha: string; repo: RepoState }
  changedFiles: ChangedFileSeed[] | null
}

// The Contents API base64-encodes files up to 1 MB; above that, up to 100 MB,
// the JSON has encoding "none" and empty content, and only raw gives the bytes.
export const CONTENT_JSON_LIMIT = 1024 * 1024

// ------------------------------------------- response bodies (fixtures)
//
// Every field the description marks required, with values of the right type
// and format, shaped like api.github.com's answers.

export function userJson(state: State, login: string) {
  const bot = login.endsWith('[bot]')
  let id = state.users.get(login)
  if (id === undefined) {
    id = login === BOT_LOGIN ? 41898282 : ++state.counters.user
    state.users.set(login, id)
  }
  const u = `${state.url}/users/${encodeURIComponent(login)}`
  return {
    login,
    id,
    node_id: nodeId(bot ? 'BOT' : 'U', id),
    avatar_url: `https://avatars.githubusercontent.com/${bot ? 'in' : 'u'}/${id}?v=4`,
    gravatar_id: '',
    url: u,
    html_url: bot
      ? `https://github.com/apps/${encodeURIComponent(login.slice(0, -'[bot]'.length))}`
      : `https://github.com/${encodeURIComponent(login)}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: bot ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false,
  }
}

/** GET /user for a user's token: the `public-user` shape. */
export function publicUserJson(state: State, login: string) {
  return {
    ...userJson(state, login),
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2020-01-01T00:00:00Z',
  }
}

/** Fits both `repository` (in pull requests) and `full-repository` (GET /repos/{o}/{r}). */
export function repositoryJson(state: State, repo: RepoState, withPermissions: boolean) {
  const full = fullNameOf(repo)
  const u = `${state.url}/repos/${full}`
  const html = `https://github.com/${full}`
  const created = '2024-01-02T03:04:05Z'
  const permissions = repo.permissions ?? {
    admin: false,
    maintain: false,
    push: !state.readOnly,
    triage: !state.readOnly,
    pull: true,
  }
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: full,
    owner: userJson(state, repo.owner),
    private: repo.private,
    html_url: html,
    description: null,
    fork: repo.fork,
    url: u,
    archive_url: `${u}/{archive_format}{/ref}`,
    assignees_url: `${u}/assignees{/user}`,
    blobs_url: `${u}/git/blobs{/sha}`,
    branches_url: `${u}/branches{/branch}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    comments_url: `${u}/comments{/number}`,
    commits_url: `${u}/commits{/sha}`,
    compare_url: `${u}/compare/{base}...{head}`,
    contents_url: `${u}/contents/{+path}`,
    contributors_url: `${u}/contributors`,
    deployments_url: `${u}/deployments`,
    downloads_url: `${u}/downloads`,
    events_url: `${u}/events`,
    forks_url: `${u}/forks`,
    git_commits_url: `${u}/git/commits{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    issue_events_url: `${u}/issues/events{/number}`,
    issues_url: `${u}/issues{/number}`,
    keys_url: `${u}/keys{/key_id}`,
    labels_url: `${u}/labels{/name}`,
    languages_url: `${u}/languages`,
    merges_url: `${u}/merges`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    pulls_url: `${u}/pulls{/number}`,
    releases_url: `${u}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${u}/stargazers`,
    statuses_url: `${u}/statuses/{sha}`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    tags_url: `${u}/tags`,
    teams_url: `${u}/teams`,
    trees_url: `${u}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${u}/hooks`,
    svn_url: html,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 128,
    default_branch: repo.defaultBranch,
    open_issues_count: repo.pulls.size,
    open_issues: repo.pulls.size,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: created,
    created_at: created,
    updated_at: created,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
    ...(withPermissions ? { permissions } : {}),
  }
}

export function pullRequestJson(state: State, repo: RepoState, pull: PullState) {
  const u = `${state.url}/repos/${fullNameOf(repo)}`
  const html = `https://github.com/${fullNameOf(repo)}`
  const n = pull.number
  const files = pullFiles(repo, pull)
  const side = (s: { ref: string; sha: string }, where: RepoState) => ({
    label: `${where.owner}:${s.ref}`,
    ref: s.ref,
    sha: s.sha,
    user: userJson(state, where.owner),
    repo: repositoryJson(state, where, false),
  })
  const href = (url: string) => ({ href: url })
  return {
    url: `${u}/pulls/${n}`,
    id: pull.id,
    node_id: nodeId('PR', pull.id),
    html_url: `${html}/pull/${n}`,
    diff_url: `${html}/pull/${n}.diff`,
    patch_url: `${html}/pull/${n}.patch`,
    issue_url: `${u}/issues/${n}`,
    commits_url: `${u}/pulls/${n}/commits`,
    review_comments_url: `${u}/pulls/${n}/comments`,
    review_comment_url: `${u}/pulls/comments{/number}`,
    comments_url: `${u}/issues/${n}/comments`,
    statuses_url: `${u}/statuses/${pull.head.sha}`,
    number: n,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(state, pull.user),
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.createdAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, pull.head.repo),
    base: side(pull.base, repo),
    _links: {
      self: href(`${u}/pulls/${n}`),
      html: href(`${html}/pull/${n}`),
      issue: href(`${u}/issues/${n}`),
      comments: href(`${u}/issues/${n}/comments`),
      review_comments: href(`${u}/pulls/${n}/comments`),
      review_comment: href(`${u}/pulls/comments{/number}`),
      commits: href(`${u}/pulls/${n}/commits`),
      statuses: href(`${u}/statuses/${pull.head.sha}`),
    },
    author_association: pull.head.repo === repo ? 'MEMBER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: false,
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: repo.comments.filter((c) => c.issueNumber === n).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: files.reduce((sum, f) => sum + (f.additions ?? 0), 0),
    deletions: files.reduce((sum, f) => sum + (f.deletions ?? 0), 0),
    changed_files: files.length,
  }
}

export function issueCommentJson(state: State, repo: RepoState, comment: StoredComment) {
  const u = `${state.url}/repos/${fullNameOf(repo)}`
  const kind = repo.pulls.has(comment.issueNumber) ? 'pull' : 'issues'
  return {
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    url: `${u}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${fullNameOf(repo)}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userJson(state, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${u}/issues/${comment.issueNumber}`,
    author_association: comment.user === repo.owner ? 'OWNER' : 'NONE',
    performed_via_github_app: null,
  }
}

export function diffEntryJson(
  state: State,
  repo: RepoState,
  headSha: string,
  file: ChangedFileSeed,
) {
  const path = encodePath(file.filename)
  const additions = file.additions ?? 0
  const deletions = file.deletions ?? 0
  return {
    sha: file.sha ?? fakeSha(`${headSha}:${file.filename}`),
    filename: file.filename,
    status: file.status ?? 'modified',
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `https://github.com/${fullNameOf(repo)}/blob/${headSha}/${path}`,
    raw_url: `https://github.com/${fullNameOf(repo)}/raw/${headSha}/${path}`,
    contents_url: `${state.url}/repos/${fullNameOf(repo)}/contents/${path}?ref=${headSha}`,
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
    ...(file.previousFilename !== undefined ? { previous_filename: file.previousFilename } : {}),
  }
}

export function contentLinks(
  state: State,
  repo: RepoState,
  ref: string,
  path: string,
  sha: string,
) {
  const self = `${state.url}/repos/${fullNameOf(repo)}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`
  const git = `${state.url}/repos/${fullNameOf(repo)}/git/blobs/${sha}`
  const html = `https://github.com/${fullNameOf(repo)}/blob/${encodeURIComponent(ref)}/${encodePath(path)}`
  return { url: self, git_url: git, html_url: html, _links: { self, git, html } }
}

export function contentFileJson(
  state: State,
  repo: RepoState,
  ref: string,
  path: string,
  bytes: Uint8Array,
) {
  const sha = blobSha(bytes)
  const inline = bytes.length <= CONTENT_JSON_LIMIT
  return {
    type: 'file',
    encoding: inline ? 'base64' : 'none',
    size: bytes.length,
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    // GitHub wraps the base64 at 60 characters.
    content: inline
      ? (
          Buffer.from(bytes)
            .toString('base64')
            .match(/.{1,60}/g) ?? []
        ).join('\n')
      : '',
    sha,
    ...contentLinks(state, repo, ref, path, sha),
    download_url: `https://raw.githubusercontent.com/${fullNameOf(repo)}/${encodeURIComponent(ref)}/${encodePath(path)}`,
  }
}

export function contentEntryJson(
  state: State,
  repo: RepoState,
  ref: string,
  path: string,
  type: 'file' | 'dir',
  bytes: Uint8Array | undefined,
) {
  const sha = bytes ? blobSha(bytes) : fakeSha(`${ref}:${path}/`)
  return {
    type,
    size: bytes?.length ?? 0,
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    sha,
    ...contentLinks(state, repo, ref, path, sha),
    download_url:
      type === 'file'
        ? `https://raw.githubusercontent.com/${fullNameOf(repo)}/${encodeURIComponent(ref)}/${encodePath(path)}`
        : null,
  }
}

export function commitJson(state: State, repo: RepoState, sha: string, parents: string[]) {
  const u = `${state.url}/repos/${fullNameOf(repo)}`
  const html = `https://github.com/${fullNameOf(repo)}`
  const tree = fakeSha(`tree ${sha}`)
  const person = {
    name: repo.owner,
    email: `${repo.owner}@users.noreply.github.com`,
    date: '2024-01-02T03:04:05Z',
  }
  return {
    url: `${u}/commits/${sha}`,
    sha,
    node_id: nodeId('C', parseInt(sha.slice(0, 8), 16)),
    html_url: `${html}/commit/${sha}`,
    comments_url: `${u}/commits/${sha}/comments`,
    commit: {
      url: `${u}/git/commits/${sha}`,
      author: person,
      committer: person,
      message: parents.length > 0 ? 'Update dependencies' : 'Initial commit',
      comment_count: 0,
      tree: { sha: tree, url: `${u}/git/trees/${tree}` },
    },
    author: userJson(state, repo.owner),
    committer: userJson(state, repo.owner),
    parents: parents.map((p) => ({
      sha: p,
      url: `${u}/commits/${p}`,
      html_url: `${html}/commit/${p}`,
    })),
  }
}

// ------------------------------------------------------------------ tree diffs

export function pullFiles(repo: RepoState, pull: PullState): ChangedFileSeed[] {
  if (pull.changedFiles) return pull.changedFiles
  const base = repo.trees.get(pull.base.sha) ?? repo.trees.get(pull.base.ref)
  const head =
    repo.trees.get(pull.head.sha) ??
    pull.head.repo.trees.get(pull.head.sha) ??
    pull.head.repo.trees.get(pull.head.ref)
  return diffTrees(base, head)
}

/** The files GitHub would list between two trees: added, removed, modified (no rename detection). */
export function diffTrees(
  base: Map<string, Uint8Array> | undefined,
  head: Map<string, Uint8Array> | undefined,
): ChangedFileSeed[] {
  const paths = [...new Set([...(base?.keys() ?? []), ...(head?.keys() ?? [])])].sort()
  const out: ChangedFileSeed[] = []
  for (const filename of paths) {
    const before = base?.get(filename)
    const after = head?.get(filename)
    if (before && after && Buffer.from(before).equals(Buffer.from(after))) continue
    const status: DiffStatus = !before ? 'added' : !after ? 'removed' : 'modified'
    const sha = blobSha(after ?? before ?? new Uint8Array())
    out.push({ filename, status, sha, ...patchOf(filename, before, after) })
  }
  return out
}

export function patchOf(
  filename: string,
  before: Uint8Array | undefined,
  after: Uint8Array | undefined,
): { additions: number; deletions: number; patch?: string } {
  const oldText = before ? textOf(before) : ''
  const newText = after ? textOf(after) : ''
  if (oldText === null || newText === null) return { additions: 0, deletions: 0 }
  const { hunks } = structuredPatch(filename, filename, oldText, newText, '', '', { context: 3 })
  let additions = 0
  let deletions = 0
  const parts: string[] = []
  for (const h of hunks) {
    parts.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines)
    for (const line of h.lines) {
      if (line.startsWith('+')) additions++
      else if (line.startsWith('-')) deletions++
    }
  }
  return { additions, deletions, patch: parts.join('\n') }
}

export function textOf(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

// --------------------------------------------------------------- small helpers

export function fullNameOf(repo: RepoState): string {
  return `${repo.owner}/${repo.name}`
}

export function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '')
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

/** Git's blob id: sha1 of "blob <size>\0<bytes>". */
export function blobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex')
}

export function nodeId(kind: string, id: number): string {
  return `${kind}_kw${Buffer.from(String(id)).toString('base64url')}`
}

/** GitHub's timestamps: ISO 8601 in UTC, whole seconds. */
export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}
