// A local GitHub REST API for integration and e2e tests: the endpoints the
// action calls, over in-memory repositories, pull requests, file contents and
// issue comments, on 127.0.0.1 and a free port.
//
// Every request it receives and every response it sends is checked against
// GitHub's published OpenAPI description (@octokit/openapi,
// generated/api.github.com.json). What does not fit is recorded in
// `violations`, so an e2e test fails when the action calls GitHub in a way
// GitHub would refuse, and when this fake answers in a way GitHub would not.
//
// The description's routes and checks, and the wire shapes, are in
// ./github-api.ts.
//
// Its state, the JSON bodies made from it, and the diffs of its trees are in
// ./github-data.ts.
//
// Sections: public types; the server; seeding; one request, start to end;
// the handlers, by operationId.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import {
  checkRequest,
  checkResponse,
  compileChecks,
  errorBody,
  errorReply,
  loadOpenApi,
  matchRoute,
  wire,
  type Incoming,
  type OpenApi,
  type Reply,
} from './github-api.js'
import {
  BOT_LOGIN,
  commitJson,
  contentEntryJson,
  contentFileJson,
  diffEntryJson,
  diffTrees,
  fakeSha,
  fullNameOf,
  issueCommentJson,
  publicUserJson,
  pullFiles,
  pullRequestJson,
  repositoryJson,
  timestamp,
  trimSlashes,
  type RepoState,
  type State,
} from './github-data.js'

export { openApiInfo } from './github-api.js'
export { BOT_LOGIN } from './github-data.js'

// ---------------------------------------------------------------- public types

/** What a default server requires in `Authorization` (`token X` or `Bearer X`). */
export const DEFAULT_TOKEN = 'ghs_testTokenForTheLocalGitHubServer0000'

export interface GitHubServerOptions {
  /** The token every request must carry; null turns the check off. */
  token?: string | null
  /** Start with writes refused, as for a read-only GITHUB_TOKEN (see `readOnly`). */
  readOnly?: boolean
  /** Login of the token's user, the author of comments created through the API. */
  actor?: string
}

export interface GitHubServer {
  /** Base URL without a trailing slash: the GITHUB_API_URL for the action. */
  readonly url: string
  readonly token: string | null
  /** Writes (POST, PATCH, PUT, DELETE) answer 403 "Resource not accessible by integration". */
  readOnly: boolean
  /**
   * Whom the token writes as: a login ending in `[bot]` is an app's or the
   * Actions token (GET /user answers 403), any other a user's token.
   */
  actor: string
  /** Every request received, in order. */
  readonly requests: RecordedRequest[]
  /** Every disagreement with GitHub's description, in order. */
  readonly violations: Violation[]
  /** Add a repository, or change the settings of one. */
  addRepo(seed: RepoSeed): void
  /** Add a pull request to `repo` ("owner/name"), creating the repository if needed. */
  addPullRequest(repo: string, seed: PullRequestSeed): void
  /** Set files at a ref (branch, tag or sha) of `repo`, keeping the other files there. */
  setFiles(repo: string, ref: string, files: FileTree): void
  /** A comment already on the issue or pull request, e.g. an earlier sticky review. */
  addComment(
    repo: string,
    issueNumber: number,
    body: string,
    opts?: { user?: string },
  ): StoredComment
  /** The comments on an issue or pull request, oldest first (copies). */
  comments(repo: string, issueNumber: number): StoredComment[]
  /** Answer the next matching request with `status` and a GitHub error body. */
  failNext(method: string, path: PathPattern, status: number, opts?: FailureOptions): void
  /**
   * Test-only: change the next matching JSON response body before it is
   * validated and sent, to prove that response validation catches a bad shape.
   */
  corruptNextResponse(method: string, path: PathPattern, mutate: (body: unknown) => unknown): void
  /** Throw, listing every violation, if there is any. */
  assertNoViolations(): void
  stop(): Promise<void>
}

/**
 * A path template from GitHub's description
 * ("/repos/{owner}/{repo}/issues/comments/{comment_id}"), an exact path
 * ("/repos/o/r/issues/comments/7"), or a RegExp tested against the path.
 */
export type PathPattern = string | RegExp

export interface FailureOptions {
  /** Defaults to GitHub's error shape: { message, documentation_url, status }. */
  body?: unknown
  headers?: Record<string, string>
}

export interface RecordedRequest {
  method: string
  /** The path as received, still percent-encoded. */
  path: string
  query: Record<string, string>
  /** Lower-case names; `authorization` and `cookie` left out. */
  headers: Record<string, string>
  /** Parsed JSON; the text when it is not JSON; undefined when empty. */
  body: unknown
  /** The operation the request matched, or null. */
  operationId: string | null
  /** The status answered. */
  status: number
}

export interface Violation {
  method: string
  path: string
  operationId: string | null
  problem: string
}

export type FileTree = Record<string, string | Uint8Array>

export interface RepoPermissions {
  admin: boolean
  maintain: boolean
  push: boolean
  triage: boolean
  pull: boolean
}

export interface RepoSeed {
  /** "owner/name" */
  fullName: string
  /** Default "main". */
  defaultBranch?: string
  private?: boolean
  /** Default: write access unless the server is read-only. */
  permissions?: RepoPermissions
}

export interface PullRequestSeed {
  number: number
  title?: string
  body?: string | null
  state?: 'open' | 'closed'
  /** Login of the author. Default "contributor" for a fork, else "maintainer". */
  user?: string
  /** Default ref: the repository's default branch. The files are stored at ref and sha. */
  base?: { ref?: string; sha?: string; files?: FileTree }
  /**
   * Default ref "update-<number>". The files are stored at ref and sha in the
   * head repository, and at sha in the base repository, as GitHub shares the
   * objects of a fork with its parent.
   */
  head?: { ref?: string; sha?: string; files?: FileTree; repo?: string }
  /** The head is in a fork ("contributor/<name>" unless head.repo says otherwise). */
  fork?: boolean
  /** What GET .../pulls/{n}/files lists. Default: the diff of the base and head files. */
  changedFiles?: ChangedFileSeed[]
}

export type DiffStatus =
  'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'

export interface ChangedFileSeed {
  filename: string
  status?: DiffStatus
  additions?: number
  deletions?: number
  /** GitHub leaves the patch out for binary and very large diffs. */
  patch?: string
  previousFilename?: string
  sha?: string
}

export interface StoredComment {
  id: number
  issueNumber: number
  body: string
  user: string
  createdAt: string
  updatedAt: string
}

// ------------------------------------------------------------------ the server

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const api = loadOpenApi()
  const state: State = {
    url: '',
    token: options.token === undefined ? DEFAULT_TOKEN : options.token,
    readOnly: options.readOnly ?? false,
    actor: options.actor ?? BOT_LOGIN,
    repos: new Map(),
    users: new Map(),
    counters: { repo: 1000, comment: 2_000_000, user: 5000 },
    requests: [],
    violations: [],
    failures: [],
    corruptions: [],
  }
  const server = createServer((req, res) => {
    handle(state, api, req, res).catch((err: unknown) => {
      state.violations.push({
        method: req.method ?? '',
        path: req.url ?? '',
        operationId: null,
        problem: `the test server crashed: ${(err as Error).stack ?? String(err)}`,
      })
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  state.url = `http://127.0.0.1:${port}`

  return {
    url: state.url,
    token: state.token,
    get readOnly() {
      return state.readOnly
    },
    set readOnly(value: boolean) {
      state.readOnly = value
    },
    get actor() {
      return state.actor
    },
    set actor(value: string) {
      state.actor = value
    },
    requests: state.requests,
    violations: state.violations,
    addRepo: (seed) => void ensureRepo(state, seed.fullName, seed),
    addPullRequest: (repo, seed) => addPullRequest(state, repo, seed),
    setFiles: (repo, ref, files) => setTree(ensureRepo(state, repo), ref, files),
    addComment: (repo, issueNumber, body, opts) => ({
      ...createComment(
        state,
        ensureRepo(state, repo),
        issueNumber,
        body,
        opts?.user ?? 'maintainer',
      ),
    }),
    comments: (repo, issueNumber) =>
      (findRepoByName(state, repo)?.comments ?? [])
        .filter((c) => c.issueNumber === issueNumber)
        .map((c) => ({ ...c })),
    failNext: (method, path, status, opts) =>
      void state.failures.push({ method: method.toUpperCase(), path, status, ...opts }),
    corruptNextResponse: (method, path, mutate) =>
      void state.corruptions.push({ method: method.toUpperCase(), path, mutate }),
    assertNoViolations: () => assertNoViolations(state.violations),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

function assertNoViolations(violations: Violation[]): void {
  if (violations.length === 0) return
  const lines = violations.map(
    (v, i) =>
      `${i + 1}. ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ''}: ${v.problem}`,
  )
  throw new Error(
    `${violations.length} request(s) or response(s) disagree with GitHub's REST API description:\n${lines.join('\n')}`,
  )
}

// --------------------------------------------------------------------- seeding

function ensureRepo(state: State, fullName: string, seed?: Partial<RepoSeed>): RepoState {
  const [owner, name, ...rest] = fullName.split('/')
  if (!owner || !name || rest.length > 0) throw new Error(`not an "owner/name": ${fullName}`)
  const key = fullName.toLowerCase()
  let repo = state.repos.get(key)
  if (!repo) {
    repo = {
      owner,
      name,
      id: ++state.counters.repo,
      defaultBranch: 'main',
      private: false,
      fork: false,
      permissions: null,
      trees: new Map(),
      refShas: new Map(),
      pulls: new Map(),
      comments: [],
    }
    state.repos.set(key, repo)
  }
  if (seed?.defaultBranch !== undefined) repo.defaultBranch = seed.defaultBranch
  if (seed?.private !== undefined) repo.private = seed.private
  if (seed?.permissions !== undefined) repo.permissions = seed.permissions
  return repo
}

function findRepoByName(state: State, fullName: string): RepoState | undefined {
  return state.repos.get(fullName.toLowerCase())
}

function setTree(repo: RepoState, ref: string, files: FileTree, sha?: string): void {
  let tree = repo.trees.get(ref)
  if (!tree) repo.trees.set(ref, (tree = new Map()))
  for (const [path, content] of Object.entries(files)) {
    tree.set(trimSlashes(path), typeof content === 'string' ? Buffer.from(content) : content)
  }
  if (sha !== undefined) {
    repo.refShas.set(ref, sha)
    setTree(repo, sha, files)
  }
}

function addPullRequest(state: State, fullName: string, seed: PullRequestSeed): void {
  const repo = ensureRepo(state, fullName)
  const { number } = seed
  const forkName = seed.head?.repo ?? (seed.fork ? `contributor/${repo.name}` : fullName)
  const headRepo =
    forkName.toLowerCase() === fullName.toLowerCase() ? repo : ensureRepo(state, forkName)
  if (headRepo !== repo) headRepo.fork = true
  const base = {
    ref: seed.base?.ref ?? repo.defaultBranch,
    sha: seed.base?.sha ?? fakeSha(`${fullName}#${number} base`),
  }
  const head = {
    ref: seed.head?.ref ?? `update-${number}`,
    sha: seed.head?.sha ?? fakeSha(`${fullName}#${number} head`),
    repo: headRepo,
  }
  if (seed.base?.files) setTree(repo, base.ref, seed.base.files, base.sha)
  if (seed.head?.files) {
    setTree(headRepo, head.ref, seed.head.files, head.sha)
    if (headRepo !== repo) setTree(repo, head.sha, seed.head.files)
  }
  repo.pulls.set(number, {
    number,
    id: repo.id * 1000 + number,
    title: seed.title ?? `Update dependencies (#${number})`,
    body: seed.body === undefined ? null : seed.body,
    state: seed.state ?? 'open',
    user: seed.user ?? (headRepo === repo ? 'maintainer' : headRepo.owner),
    createdAt: timestamp(),
    base,
    head,
    changedFiles: seed.changedFiles ?? null,
  })
}

function createComment(
  state: State,
  repo: RepoState,
  issueNumber: number,
  body: string,
  user: string,
): StoredComment {
  const now = timestamp()
  const comment = {
    id: ++state.counters.comment,
    issueNumber,
    body,
    user,
    createdAt: now,
    updatedAt: now,
  }
  repo.comments.push(comment)
  return comment
}

// ------------------------------------------------------ one request, start to end

async function handle(
  state: State,
  api: OpenApi,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const incoming = await readIncoming(state, req)
  const record: RecordedRequest = {
    method: incoming.method,
    path: incoming.url.pathname,
    query: Object.fromEntries(incoming.url.searchParams),
    headers: recordableHeaders(incoming.headers),
    body: incoming.body,
    operationId: null,
    status: 0,
  }
  state.requests.push(record)
  const violate = (problem: string): void => {
    state.violations.push({
      method: record.method,
      path: record.path,
      operationId: record.operationId,
      problem,
    })
  }
  const reply = answer(state, api, incoming, record, violate)
  record.status = reply.status
  send(res, reply)
}

function answer(
  state: State,
  api: OpenApi,
  incoming: Incoming,
  record: RecordedRequest,
  violate: (problem: string) => void,
): Reply {
  const match = matchRoute(api, incoming.method, incoming.url.pathname)
  if ('problem' in match) {
    violate(match.problem)
    return errorReply(404)
  }
  const { route, params } = match
  record.operationId = route.operationId
  const checks = compileChecks(api, route)
  const finish = (reply: Reply): Reply => {
    for (const problem of checkResponse(api, checks, reply)) violate(problem)
    return reply
  }

  if (!authorized(state, incoming.headers)) {
    return finish(errorReply(401, 'Bad credentials'))
  }
  const request = checkRequest(checks, params, incoming)
  for (const problem of request.problems) violate(problem)
  if (request.reject) return finish(request.reject)

  const failure = takeFirst(state.failures, incoming.method, route.template, incoming.url.pathname)
  if (failure) {
    return finish({
      status: failure.status,
      json: failure.body ?? errorBody(failure.status, undefined, checks.docsUrl),
      headers: failure.headers,
    })
  }
  if (state.readOnly && incoming.method !== 'GET' && incoming.method !== 'HEAD') {
    return finish({
      status: 403,
      json: errorBody(403, 'Resource not accessible by integration', checks.docsUrl),
      headers: { 'x-accepted-github-permissions': 'issues=write; pull_requests=write' },
    })
  }
  const handler = HANDLERS[route.operationId]
  if (!handler) {
    violate(
      `${route.operationId} is in GitHub's description but this test server does not answer it`,
    )
    return finish(errorReply(404))
  }
  const ctx: Ctx = { state, incoming, params: request.params, docsUrl: checks.docsUrl }
  const reply = handler(ctx)
  const corruption = takeFirst(
    state.corruptions,
    incoming.method,
    route.template,
    incoming.url.pathname,
  )
  if (corruption && reply.json !== undefined) reply.json = corruption.mutate(wire(reply.json))
  return finish(reply)
}

async function readIncoming(state: State, req: IncomingMessage): Promise<Incoming> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const raw = Buffer.concat(chunks)
  let body: unknown
  let jsonError: string | null = null
  if (raw.length > 0) {
    const text = raw.toString('utf8')
    try {
      body = JSON.parse(text)
    } catch (err) {
      body = text
      jsonError = (err as Error).message
    }
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url: new URL(req.url ?? '/', state.url),
    headers: req.headers,
    raw,
    body,
    jsonError,
  }
}

function recordableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization' || name === 'cookie' || value === undefined) continue
    out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function authorized(state: State, headers: IncomingHttpHeaders): boolean {
  if (state.token === null) return true
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(headers.authorization ?? '')
  return match?.[1] === state.token
}

function takeFirst<T extends { method: string; path: PathPattern }>(
  queue: T[],
  method: string,
  template: string,
  pathname: string,
): T | undefined {
  const index = queue.findIndex(
    (entry) =>
      (entry.method === '*' || entry.method === method) &&
      (typeof entry.path === 'string'
        ? entry.path === template || entry.path === pathname
        : entry.path.test(pathname)),
  )
  return index < 0 ? undefined : queue.splice(index, 1)[0]
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    'x-github-request-id': `TEST:${Math.random().toString(16).slice(2, 10).toUpperCase()}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...reply.headers,
  }
  let payload: Uint8Array | string = ''
  if (reply.raw !== undefined) {
    payload = reply.raw
  } else if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json)
    headers['content-type'] = 'application/json; charset=utf-8'
    headers['x-github-media-type'] ??= 'github.v3; format=json'
  }
  res.writeHead(reply.status, headers)
  res.end(payload)
}

// ---------------------------------------------------- the handlers, by operationId

interface Ctx {
  state: State
  incoming: Incoming
  /** Path and query parameters, decoded and coerced to their declared types. */
  params: Record<string, unknown>
  docsUrl: string
}

type Handler = (ctx: Ctx) => Reply

const HANDLERS: Record<string, Handler> = {
  'repos/get': (ctx) => {
    const repo = repoOf(ctx)
    return repo ? { status: 200, json: repositoryJson(ctx.state, repo, true) } : notFound(ctx)
  },
  'pulls/get': (ctx) => {
    const repo = repoOf(ctx)
    const pull = repo?.pulls.get(Number(ctx.params.pull_number))
    return repo && pull
      ? { status: 200, json: pullRequestJson(ctx.state, repo, pull) }
      : notFound(ctx)
  },
  'pulls/list-files': (ctx) => {
    const repo = repoOf(ctx)
    const pull = repo?.pulls.get(Number(ctx.params.pull_number))
    if (!repo || !pull) return notFound(ctx)
    const files = pullFiles(repo, pull).map((f) => diffEntryJson(ctx.state, repo, pull.head.sha, f))
    return paginate(ctx, files)
  },
  'repos/get-content': getContent,
  'repos/compare-commits-with-basehead': compare,
  // The same URL, as the older template {base}...{head} describes it.
  'repos/compare-commits': compare,
  'users/get-authenticated': (ctx) => {
    const login = ctx.state.actor
    // GitHub has no user for an installation token (the Actions token, an app's).
    if (login.endsWith('[bot]')) return errorReply(403, 'Resource not accessible by integration')
    return { status: 200, json: publicUserJson(ctx.state, login) }
  },
  'issues/list-comments': (ctx) => {
    const repo = repoOf(ctx)
    const issue = Number(ctx.params.issue_number)
    if (!repo || !issueExists(repo, issue)) return notFound(ctx)
    const since = typeof ctx.params.since === 'string' ? ctx.params.since : ''
    const comments = repo.comments
      .filter((c) => c.issueNumber === issue && c.updatedAt >= since)
      .map((c) => issueCommentJson(ctx.state, repo, c))
    return paginate(ctx, comments)
  },
  'issues/create-comment': (ctx) => {
    const repo = repoOf(ctx)
    const issue = Number(ctx.params.issue_number)
    if (!repo || !issueExists(repo, issue)) return notFound(ctx)
    const body = (ctx.incoming.body as { body: string }).body
    const comment = createComment(ctx.state, repo, issue, body, ctx.state.actor)
    const json = issueCommentJson(ctx.state, repo, comment)
    return { status: 201, json, headers: { location: json.url } }
  },
  'issues/get-comment': (ctx) => {
    const { repo, comment } = commentOf(ctx)
    return repo && comment
      ? { status: 200, json: issueCommentJson(ctx.state, repo, comment) }
      : notFound(ctx)
  },
  'issues/update-comment': (ctx) => {
    const { repo, comment } = commentOf(ctx)
    if (!repo || !comment) return notFound(ctx)
    comment.body = (ctx.incoming.body as { body: string }).body
    comment.updatedAt = timestamp()
    return { status: 200, json: issueCommentJson(ctx.state, repo, comment) }
  },
  'issues/delete-comment': (ctx) => {
    const { repo, comment } = commentOf(ctx)
    if (!repo || !comment) return notFound(ctx)
    repo.comments.splice(repo.comments.indexOf(comment), 1)
    return { status: 204 }
  },
}

function repoOf(ctx: Ctx): RepoState | undefined {
  return findRepoByName(ctx.state, `${String(ctx.params.owner)}/${String(ctx.params.repo)}`)
}

function commentOf(ctx: Ctx): { repo?: RepoState; comment?: StoredComment } {
  const repo = repoOf(ctx)
  const id = Number(ctx.params.comment_id)
  return { repo, comment: repo?.comments.find((c) => c.id === id) }
}

function issueExists(repo: RepoState, issue: number): boolean {
  return repo.pulls.has(issue) || repo.comments.some((c) => c.issueNumber === issue)
}

function notFound(ctx: Ctx, message = 'Not Found'): Reply {
  return { status: 404, json: errorBody(404, message, ctx.docsUrl) }
}

/** GitHub's page-number pagination: per_page (default 30, at most 100), page, Link. */
function paginate(ctx: Ctx, items: unknown[]): Reply {
  const perPage = Math.min(100, positive(ctx.params.per_page) ?? 30)
  const page = positive(ctx.params.page) ?? 1
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (n: number, rel: string): string => {
    const url = new URL(ctx.incoming.url)
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('page', String(n))
    return `<${url.href}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  return {
    status: 200,
    json: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined
}

// GitHub's raw media types: application/vnd.github.raw, .raw+json, .v3.raw.
const RAW_ACCEPT = /application\/vnd\.github(?:\.v3)?\.raw/i

function getContent(ctx: Ctx): Reply {
  const repo = repoOf(ctx)
  if (!repo) return notFound(ctx)
  const ref = typeof ctx.params.ref === 'string' ? ctx.params.ref : repo.defaultBranch
  const tree = repo.trees.get(ref)
  if (!tree) return notFound(ctx, `No commit found for the ref ${ref}`)
  const path = trimSlashes(String(ctx.params.path))
  const bytes = tree.get(path)
  if (bytes) {
    if (RAW_ACCEPT.test(ctx.incoming.headers.accept ?? '')) {
      // What api.github.com sends for raw: text/plain with a utf-8 charset,
      // whatever the bytes are (Octokit therefore hands back a string).
      return {
        status: 200,
        raw: bytes,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'x-github-media-type': 'github.v3; param=raw',
          'x-content-type-options': 'nosniff',
        },
      }
    }
    return { status: 200, json: contentFileJson(ctx.state, repo, ref, path, bytes) }
  }
  const prefix = path === '' ? '' : `${path}/`
  const entries = new Map<string, 'file' | 'dir'>()
  for (const [p] of tree) {
    if (!p.startsWith(prefix)) continue
    const [first, ...more] = p.slice(prefix.length).split('/')
    if (first) entries.set(`${prefix}${first}`, more.length > 0 ? 'dir' : 'file')
  }
  if (entries.size === 0) return notFound(ctx)
  const listing = [...entries]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, type]) => contentEntryJson(ctx.state, repo, ref, p, type, tree.get(p)))
  return { status: 200, json: listing }
}

function compare(ctx: Ctx): Reply {
  const repo = repoOf(ctx)
  if (!repo) return notFound(ctx)
  const basehead =
    typeof ctx.params.basehead === 'string'
      ? ctx.params.basehead
      : `${String(ctx.params.base)}...${String(ctx.params.head)}`
  const [baseSpec, headSpec, ...rest] = basehead.split('...')
  if (!baseSpec || !headSpec || rest.length > 0) return notFound(ctx)
  const base = resolveRef(ctx.state, repo, baseSpec)
  const head = resolveRef(ctx.state, repo, headSpec)
  if (!base || !head) return notFound(ctx)
  const files = diffTrees(base.tree, head.tree).map((f) =>
    diffEntryJson(ctx.state, repo, head.sha, f),
  )
  const baseCommit = commitJson(ctx.state, repo, base.sha, [])
  const u = `${ctx.state.url}/repos/${fullNameOf(repo)}`
  const html = `https://github.com/${fullNameOf(repo)}`
  return {
    status: 200,
    json: {
      url: `${u}/compare/${base.sha}...${head.sha}`,
      html_url: `${html}/compare/${base.sha}...${head.sha}`,
      permalink_url: `${html}/compare/${repo.owner}:${base.sha}...${repo.owner}:${head.sha}`,
      diff_url: `${html}/compare/${base.sha}...${head.sha}.diff`,
      patch_url: `${html}/compare/${base.sha}...${head.sha}.patch`,
      base_commit: baseCommit,
      merge_base_commit: baseCommit,
      status: base.sha === head.sha ? 'identical' : 'ahead',
      ahead_by: base.sha === head.sha ? 0 : 1,
      behind_by: 0,
      total_commits: base.sha === head.sha ? 0 : 1,
      commits: base.sha === head.sha ? [] : [commitJson(ctx.state, repo, head.sha, [base.sha])],
      files,
    },
  }
}

/** "ref", "sha" or "owner:ref" (a fork of the same name) to its files and sha. */
function resolveRef(
  state: State,
  repo: RepoState,
  spec: string,
): { tree: Map<string, Uint8Array>; sha: string } | undefined {
  const colon = spec.indexOf(':')
  const owner = colon < 0 ? repo.owner : spec.slice(0, colon)
  const ref = colon < 0 ? spec : spec.slice(colon + 1)
  const where = findRepoByName(state, `${owner}/${repo.name}`) ?? repo
  const tree = where.trees.get(ref) ?? repo.trees.get(ref)
  if (!tree) return undefined
  return { tree, sha: where.refShas.get(ref) ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : fakeSha(ref)) }
}
