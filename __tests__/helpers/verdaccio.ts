// A real npm registry for integration tests: Verdaccio in a child process on
// 127.0.0.1, with its own temp storage, no uplinks (it never reaches out),
// and anyone allowed to read and publish.
//
// A child process rather than Verdaccio's runServer: Verdaccio is CommonJS
// that loads its plugins with dynamic require, which jest's ESM sandbox does
// not run reliably; a process of its own also dies cleanly with stop().
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface TestRegistry {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string
  /** A bearer token of a user created at start. */
  token: string
  /** npm publish: PUT the packument with the tarball attached. */
  publish(manifest: PackageManifest, tgz: Buffer, opts?: { tag?: string }): Promise<Published>
  stop(): Promise<void>
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

export async function startRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-diff-review-verdaccio-'))
  try {
    const configPath = join(dir, 'config.yaml')
    // JSON is YAML: no YAML writer needed.
    const config = {
      storage: join(dir, 'storage'),
      auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 100 } },
      uplinks: {},
      packages: { '**': { access: '$all', publish: '$all', unpublish: '$all' } },
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
      [version]: { ...manifest, _id: `${name}@${version}`, dist: { tarball, shasum, integrity } },
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
