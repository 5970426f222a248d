import { BOT_LOGIN, openApiInfo, startGitHubServer, type GitHubServer } from './github-server.js'

const REPO = 'octo-org/mcp-host'

let server: GitHubServer

beforeEach(async () => {
  server = await startGitHubServer()
})

afterEach(async () => {
  await server.stop()
})

async function gh(
  method: string,
  path: string,
  opts: { body?: unknown; accept?: string; token?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    accept: opts.accept ?? 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
  }
  const token = opts.token === undefined ? server.token : opts.token
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (opts.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8'
  return fetch(`${server.url}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  })
}

function nextLink(res: Response): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1]
}

function seedPull(): void {
  server.addPullRequest(REPO, {
    number: 7,
    base: {
      files: {
        'package.json': '{"name":"host","dependencies":{"mail-mcp":"1.0.0"}}\n',
        'package-lock.json': '{"lockfileVersion":3}\n',
        'old.txt': 'gone\n',
        'README.md': 'same\n',
      },
    },
    head: {
      files: {
        'package.json': '{"name":"host","dependencies":{"mail-mcp":"1.1.0"}}\n',
        'package-lock.json': '{"lockfileVersion":3,"packages":{}}\n',
        'README.md': 'same\n',
        'mcp.json': '{"mcpServers":{}}\n',
        'src/a.ts': 'export const a = 1\n',
        'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
      },
    },
  })
}

describe('the local GitHub API', () => {
  it('loads GitHub’s description once and reports where it came from', () => {
    const info = openApiInfo()
    expect(info.file).toMatch(/@octokit[\\/]openapi[\\/]generated[\\/]api\.github\.com\.json$/)
    expect(info.bytes).toBeGreaterThan(1_000_000)
    expect(info.operations).toBeGreaterThan(500)
  })

  it('lists a pull request’s changed files page by page, following Link headers', async () => {
    seedPull()
    const first = await gh('GET', `/repos/${REPO}/pulls/7/files?per_page=2`)
    expect(first.status).toBe(200)
    expect(first.headers.get('link')).toContain('rel="last"')
    type Entry = { filename: string; status: string; patch?: string }
    const files = (await first.json()) as Entry[]
    expect(files).toHaveLength(2)

    let next = nextLink(first)
    let pages = 1
    while (next) {
      const res = await fetch(next, { headers: { authorization: `token ${server.token}` } })
      files.push(...((await res.json()) as Entry[]))
      next = nextLink(res)
      pages++
    }
    expect(pages).toBe(3)
    expect(files.map((f) => [f.filename, f.status])).toEqual([
      ['logo.png', 'added'],
      ['mcp.json', 'added'],
      ['old.txt', 'removed'],
      ['package-lock.json', 'modified'],
      ['package.json', 'modified'],
      ['src/a.ts', 'added'],
    ])
    const manifest = files.find((f) => f.filename === 'package.json')
    expect(manifest?.patch).toContain('+{"name":"host","dependencies":{"mail-mcp":"1.1.0"}}')
    expect(files.find((f) => f.filename === 'logo.png')?.patch).toBeUndefined()
    server.assertNoViolations()
  })

  it('serves file contents as base64 JSON and as raw bytes, and 404 for a missing file', async () => {
    seedPull()
    const big = 'x'.repeat(1024 * 1024 + 10)
    server.setFiles(REPO, 'main', { 'big/package-lock.json': big })

    const json = await gh('GET', `/repos/${REPO}/contents/package.json?ref=update-7`)
    expect(json.status).toBe(200)
    const file = (await json.json()) as { encoding: string; content: string; type: string }
    expect(file.type).toBe('file')
    expect(Buffer.from(file.content, 'base64').toString()).toContain('"mail-mcp":"1.1.0"')

    const raw = await gh('GET', `/repos/${REPO}/contents/package.json?ref=update-7`, {
      accept: 'application/vnd.github.raw+json',
    })
    expect(raw.headers.get('x-github-media-type')).toBe('github.v3; param=raw')
    expect(await raw.text()).toBe('{"name":"host","dependencies":{"mail-mcp":"1.1.0"}}\n')

    // Over 1 MB, the JSON carries no content: only the raw media type has it.
    const large = (await (
      await gh('GET', `/repos/${REPO}/contents/big/package-lock.json`)
    ).json()) as {
      encoding: string
      content: string
      size: number
    }
    expect(large).toMatchObject({ encoding: 'none', content: '', size: big.length })
    const largeRaw = await gh('GET', `/repos/${REPO}/contents/big/package-lock.json`, {
      accept: 'application/vnd.github.raw',
    })
    expect((await largeRaw.arrayBuffer()).byteLength).toBe(big.length)

    const dir = await gh('GET', `/repos/${REPO}/contents/src?ref=update-7`)
    expect(((await dir.json()) as Array<{ path: string }>).map((e) => e.path)).toEqual(['src/a.ts'])

    expect((await gh('GET', `/repos/${REPO}/contents/nope.json?ref=main`)).status).toBe(404)
    expect((await gh('GET', `/repos/${REPO}/contents/package.json?ref=no-such-ref`)).status).toBe(
      404,
    )
    server.assertNoViolations()
  })

  it('creates, lists and updates an issue comment', async () => {
    seedPull()
    server.addComment(REPO, 7, 'an earlier human comment', { user: 'reviewer' })

    const created = await gh('POST', `/repos/${REPO}/issues/7/comments`, {
      body: { body: '<!-- mcp-diff-review -->\nfirst' },
    })
    expect(created.status).toBe(201)
    const comment = (await created.json()) as { id: number; user: { login: string } }
    expect(comment.user.login).toBe(BOT_LOGIN)

    const listed = (await (
      await gh('GET', `/repos/${REPO}/issues/7/comments?per_page=100`)
    ).json()) as Array<{
      id: number
      body: string
    }>
    expect(listed.map((c) => c.body)).toEqual([
      'an earlier human comment',
      '<!-- mcp-diff-review -->\nfirst',
    ])

    const updated = await gh('PATCH', `/repos/${REPO}/issues/comments/${comment.id}`, {
      body: { body: '<!-- mcp-diff-review -->\nsecond' },
    })
    expect(updated.status).toBe(200)
    expect(server.comments(REPO, 7).map((c) => [c.user, c.body])).toEqual([
      ['reviewer', 'an earlier human comment'],
      [BOT_LOGIN, '<!-- mcp-diff-review -->\nsecond'],
    ])
    expect(server.requests.map((r) => `${r.method} ${r.operationId} ${r.status}`)).toEqual([
      'POST issues/create-comment 201',
      'GET issues/list-comments 200',
      'PATCH issues/update-comment 200',
    ])
    expect(server.requests[0]?.headers.authorization).toBeUndefined()
    server.assertNoViolations()
  })

  it('answers pull request, repository and compare requests in the documented shapes', async () => {
    seedPull()
    server.addPullRequest(REPO, { number: 8, fork: true, head: { files: { 'a.txt': 'a\n' } } })

    const pull = (await (await gh('GET', `/repos/${REPO}/pulls/8`)).json()) as {
      head: { repo: { fork: boolean; full_name: string } }
      base: { ref: string }
    }
    expect(pull.head.repo).toMatchObject({ fork: true, full_name: 'contributor/mcp-host' })
    expect(pull.base.ref).toBe('main')

    const repo = (await (await gh('GET', `/repos/${REPO}`)).json()) as {
      default_branch: string
      permissions: { push: boolean }
    }
    expect(repo.default_branch).toBe('main')
    expect(repo.permissions.push).toBe(true)

    const cmp = await gh('GET', `/repos/${REPO}/compare/main...update-7`)
    expect(cmp.status).toBe(200)
    expect(((await cmp.json()) as { files: unknown[] }).files).toHaveLength(6)
    server.assertNoViolations()
  })

  it('refuses writes with GitHub’s 403 when the token is read-only', async () => {
    seedPull()
    const existing = server.addComment(REPO, 7, 'old')
    server.readOnly = true

    const post = await gh('POST', `/repos/${REPO}/issues/7/comments`, { body: { body: 'x' } })
    expect(post.status).toBe(403)
    expect(await post.json()).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '403',
    })
    const patch = await gh('PATCH', `/repos/${REPO}/issues/comments/${existing.id}`, {
      body: { body: 'y' },
    })
    expect(patch.status).toBe(403)
    expect(server.comments(REPO, 7).map((c) => c.body)).toEqual(['old'])
    server.assertNoViolations()
  })

  it('answers 401 without the configured token', async () => {
    seedPull()
    expect((await gh('GET', `/repos/${REPO}/pulls/7`, { token: null })).status).toBe(401)
    expect((await gh('GET', `/repos/${REPO}/pulls/7`, { token: 'ghs_wrong' })).status).toBe(401)
    server.assertNoViolations()
  })

  it('fails the next matching request once, on demand', async () => {
    seedPull()
    server.failNext('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', 502)
    expect((await gh('GET', `/repos/${REPO}/pulls/7/files`)).status).toBe(502)
    expect((await gh('GET', `/repos/${REPO}/pulls/7/files`)).status).toBe(200)
    server.assertNoViolations()
  })

  it('records a request body that does not fit the operation, and answers 422', async () => {
    seedPull()
    const res = await gh('POST', `/repos/${REPO}/issues/7/comments`, { body: { text: 'x' } })
    expect(res.status).toBe(422)
    expect(server.violations.map((v) => v.problem)).toEqual([
      "request body: / should have required property 'body'",
      'request body: unknown property text',
    ])
    expect(() => server.assertNoViolations()).toThrow(
      /POST \/repos\/octo-org\/mcp-host\/issues\/7\/comments \(issues\/create-comment\): request body/,
    )
  })

  it('records a query parameter of the wrong type or name', async () => {
    seedPull()
    await gh('GET', `/repos/${REPO}/pulls/7/files?per_page=lots&perpage=2`)
    expect(server.violations.map((v) => v.problem)).toEqual([
      'query parameter per_page="lots": / should be integer',
      'unknown query parameter perpage',
    ])
  })

  it('records a response that does not fit the description', async () => {
    seedPull()
    server.corruptNextResponse('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', (body) =>
      (body as Array<Record<string, unknown>>).map(({ filename: _gone, ...rest }) => rest),
    )
    expect((await gh('GET', `/repos/${REPO}/pulls/7/files`)).status).toBe(200)
    expect(server.violations).toHaveLength(1)
    expect(server.violations[0]).toMatchObject({
      method: 'GET',
      operationId: 'pulls/list-files',
      problem: expect.stringContaining(
        "response 200 body: /0 should have required property 'filename'",
      ),
    })
  })

  it('records an endpoint GitHub does not have, and answers 404', async () => {
    seedPull()
    expect((await gh('GET', `/repos/${REPO}/no-such-thing`)).status).toBe(404)
    expect(
      (await gh('PUT', `/repos/${REPO}/issues/comments/1`, { body: { body: 'x' } })).status,
    ).toBe(404)
    expect(server.violations.map((v) => v.problem)).toEqual([
      `no operation in GitHub's REST API description matches GET /repos/${REPO}/no-such-thing`,
      "GitHub's REST API has no PUT for this path (it has GET /repos/{owner}/{repo}/issues/comments/{comment_id}, DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}, PATCH /repos/{owner}/{repo}/issues/comments/{comment_id})",
    ])
  })
})
