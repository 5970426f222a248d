// A real npm registry for integration tests: Verdaccio in a child process on
// 127.0.0.1, with its own temp storage, no uplinks (it never reaches out),
// and anyone allowed to read and publish (unless `packages` says otherwise).
// Also a small HTTP proxy to put in front of it, to answer 500 or stall.
//
// A child process rather than Verdaccio's runServer: Verdaccio is CommonJS
// that loads its plugins with dynamic require, which jest's ESM sandbox does
// not run reliably; a process of its own also dies cleanly with stop().
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { createRequire } from 'node:module'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import semver from 'semver'

export interface TestRegistry {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string
  /** A bearer token of a user created at start. */
  token: string
  /**
   * npm publish: PUT the packument with the tarball attached. Fields of
   * `manifest` are stored as given (Verdaccio keeps `_npmUser`, `deprecated`,
   * `repository`, ...); `manifest.dist` is merged into the dist it computes
   * (e.g. `attestations`).
   */
  publish(manifest: PackageManifest, tgz: Buffer, opts?: { tag?: string }): Promise<Published>
  /** npm unpublish name@version: PUT the document without it, DELETE its tarball. */
  unpublishVersion(name: string, version: string): Promise<void>
  /**
   * Edit the stored document in place, for what Verdaccio sets itself on
   * publish (`time`) or drops on unpublish. Verdaccio reads it on each request.
   */
  editPackument(name: string, edit: (doc: Record<string, unknown>) => void): Promise<void>
  stop(): Promise<void>
}

/** Who may do what, as Verdaccio's `packages` config ('$all', '$authenticated'). */
export interface PackageAccess {
  access: string
  publish: string
  unpublish: string
}

export interface PackageManifest {
  name: string
  version: string
  [key: string]: unknown
}

export interface Published {
  /** Where the registry serves the tarball. */
  tarball: string
  integrity: string
  shasum: string
}

const USER = 'tester'
const PASSWORD = 'correct-horse-battery'
const START_TIMEOUT_MS = 20_000

export async function startRegistry(
  opts: { packages?: Record<string, PackageAccess> } = {},
): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-diff-review-verdaccio-'))
  try {
    const configPath = join(dir, 'config.yaml')
    // JSON is YAML: no YAML writer needed.
    const config = {
      storage: join(dir, 'storage'),
      auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 100 } },
      uplinks: {},
      packages: {
        ...opts.packages,
        '**': { access: '$all', publish: '$all', unpublish: '$all' },
      },
      web: { enable: false },
      log: { type: 'stdout', format: 'pretty', level: 'warn' },
    }
    await writeFile(configPath, JSON.stringify(config, null, 2))
    const { child, url } = await spawnVerdaccio(configPath)
    const stop = async (): Promise<void> => {
      await killChild(child)
      await rm(dir, { recursive: true, force: true })
    }
    try {
      const token = await addUser(url)
      return {
        url,
        token,
        publish: (manifest, tgz, opts) => publish(url, token, manifest, tgz, opts?.tag ?? 'latest'),
        unpublishVersion: (name, version) => unpublishVersion(url, token, name, version),
        editPackument: async (name, edit) => {
          const file = join(config.storage, name, 'package.json')
          const doc = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
          edit(doc)
          await writeFile(file, JSON.stringify(doc))
        },
        stop,
      }
    } catch (err) {
      await stop()
      throw err
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

async function spawnVerdaccio(configPath: string): Promise<{ child: ChildProcess; url: string }> {
  const require = createRequire(import.meta.url)
  const bin = join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio')
  // The port is free when we ask; another process could take it before
  // Verdaccio binds, so try again a few times.
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/`
    const child = spawn(process.execPath, [bin, '-c', configPath, '-l', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    })
    let output = ''
    const collect = (chunk: Buffer): void => {
      if (output.length < 20_000) output += chunk.toString()
    }
    child.stdout?.on('data', collect)
    child.stderr?.on('data', collect)
    try {
      await waitForPing(url, child)
      return { child, url }
    } catch (err) {
      await killChild(child)
      lastError = new Error(
        `Verdaccio did not start on ${url}: ${(err as Error).message}\n${output}`,
      )
    }
  }
  throw lastError
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`it exited (${child.exitCode ?? child.signalCode})`)
    }
    try {
      const res = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(1000) })
      await res.body?.cancel()
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no answer to /-/ping within ${START_TIMEOUT_MS} ms`)
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
  await exited
  clearTimeout(timer)
}

async function addUser(url: string): Promise<string> {
  const res = await fetch(`${url}-/user/org.couchdb.user:${USER}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      _id: `org.couchdb.user:${USER}`,
      name: USER,
      password: PASSWORD,
      type: 'user',
      roles: [],
    }),
  })
  const body = (await res.json()) as { token?: string; error?: string }
  if (!res.ok || !body.token) {
    throw new Error(`could not create a Verdaccio user: ${res.status} ${JSON.stringify(body)}`)
  }
  return body.token
}

async function publish(
  url: string,
  token: string,
  manifest: PackageManifest,
  tgz: Buffer,
  tag: string,
): Promise<Published> {
  const { name, version } = manifest
  const basename = name.startsWith('@') ? name.split('/')[1] : name
  const filename = `${basename}-${version}.tgz`
  const tarball = `${url}${name}/-/${filename}`
  const integrity = 'sha512-' + createHash('sha512').update(tgz).digest('base64')
  const shasum = createHash('sha1').update(tgz).digest('hex')
  // What `npm publish` sends (libnpmpublish): the packument with one version
  // and the tarball inline.
  const packument = {
    _id: name,
    name,
    description: manifest.description ?? '',
    'dist-tags': { [tag]: version },
    versions: {
      [version]: {
        ...manifest,
        _id: `${name}@${version}`,
        dist: { ...(manifest.dist as object | undefined), tarball, shasum, integrity },
      },
    },
    access: null,
    _attachments: {
      [filename]: {
        content_type: 'application/octet-stream',
        data: tgz.toString('base64'),
        length: tgz.length,
      },
    },
  }
  const res = await fetch(`${url}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(packument),
  })
  if (!res.ok) {
    throw new Error(`publish ${name}@${version} failed: ${res.status} ${await res.text()}`)
  }
  await res.body?.cancel()
  return { tarball, integrity, shasum }
}

async function unpublishVersion(
  url: string,
  token: string,
  name: string,
  version: string,
): Promise<void> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  const path = `${url}${name.replace('/', '%2f')}`
  const read = async (): Promise<Record<string, unknown> & { _rev: string }> => {
    const res = await fetch(`${path}?write=true`, { headers })
    if (!res.ok) throw new Error(`unpublish ${name}@${version}: ${res.status} ${await res.text()}`)
    return (await res.json()) as Record<string, unknown> & { _rev: string }
  }
  // What `npm unpublish name@version` does (libnpmpublish).
  const doc = await read()
  const versions = doc.versions as Record<string, { dist?: { tarball?: string } }>
  const tarball = versions[version]?.dist?.tarball
  delete versions[version]
  // libnpmpublish also moves the tags that pointed at it to the highest version left.
  const tags = doc['dist-tags'] as Record<string, string>
  const highest = Object.keys(versions).sort(semver.compare).pop()
  for (const [tag, v] of Object.entries(tags)) {
    if (v !== version) continue
    if (highest) tags[tag] = highest
    else delete tags[tag]
  }
  const put = await fetch(`${path}/-rev/${doc._rev}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify(doc),
  })
  if (!put.ok) throw new Error(`unpublish ${name}@${version}: ${put.status} ${await put.text()}`)
  await put.body?.cancel()
  if (!tarball) return
  const { _rev } = await read()
  const del = await fetch(`${path}/-/${tarball.split('/').pop()}/-rev/${_rev}`, {
    method: 'DELETE',
    headers,
  })
  if (!del.ok) throw new Error(`unpublish ${name}@${version}: ${del.status} ${await del.text()}`)
  await del.body?.cancel()
}

// ---------------------------------------------------------------------------
// A proxy in front of the registry

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

/**
 * What the proxy does with one request: pass it on, never answer, or answer
 * itself: with a status and a JSON error, or with `body` (an endpoint the
 * registry does not have, such as npm's attestations).
 */
export type ProxyAction =
  'pass' | 'stall' | { status: number; body?: string | Buffer; headers?: Record<string, string> }

export interface TestProxy {
  /** Base URL with a trailing slash. */
  url: string
  /** Every request, in order. */
  requests: SeenRequest[]
  stop(): Promise<void>
}

/**
 * An HTTP proxy on 127.0.0.1 in front of `target`. The Host header is passed
 * on unchanged, so the registry writes tarball URLs that go through the proxy too.
 */
export async function startProxy(
  target: string,
  decide: (req: SeenRequest, index: number) => ProxyAction = () => 'pass',
): Promise<TestProxy> {
  const requests: SeenRequest[] = []
  const sockets = new Set<Socket>()
  const upstream = new URL(target)
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }
    requests.push(seen)
    const action = decide(seen, requests.length - 1)
    if (action === 'stall') return void req.resume()
    if (action !== 'pass') {
      req.resume()
      res.writeHead(action.status, { 'content-type': 'application/json', ...action.headers })
      return void res.end(
        action.body ?? JSON.stringify({ error: `test proxy answered ${action.status}` }),
      )
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
