// What the hostile suites share: running the bundle in a sandbox of fresh
// directories, checking what it wrote, and the checks every output must pass.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { join, relative } from 'node:path'
import { activeChars, htmlTags, scanFences, tableShapes, toText } from '../render/markdown-check.js'

export const NODE = join(process.cwd(), 'node_modules/.bin/node')

/** Past this a run counts as hung: the spawn kills it, and the test sees the signal. */
export const RUN_TIMEOUT_MS = 45_000

/** The child's heap: a blow-up crashes it instead of passing slowly. */
export const NODE_OPTIONS = '--max-old-space-size=256'

export interface SandboxRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Files the run left in its TMPDIR, HOME or working directory (relative to the sandbox). */
  leftovers: string[]
  /** The sandbox root, where a test may ask the run to write (outside the three checked dirs). */
  root: string
}

export interface SandboxOptions {
  args: (root: string) => string[]
  /** More environment (the sandbox sets PATH, HOME, TMPDIR, NODE_OPTIONS). */
  env?: (root: string) => Record<string, string>
  /** Writes what the run reads (an event payload) into `root` before it starts. */
  setup?: (root: string) => void
}

/**
 * Runs `node <script> <args>` with a fresh TMPDIR, HOME and working directory
 * under a new `root` in `parent`, a bounded heap and a timeout. Async: servers
 * in this process (the GitHub API, canaries) keep answering while it runs.
 */
export async function runSandboxed(
  parent: string,
  script: string,
  opts: SandboxOptions,
): Promise<SandboxRun> {
  const root = mkdtempSync(join(parent, 'run-'))
  const dirs = ['tmp', 'home', 'cwd'].map((d) => join(root, d))
  for (const d of dirs) mkdirSync(d)
  const [tmp, home, cwd] = dirs as [string, string, string]
  opts.setup?.(root)
  const child = spawn(NODE, [script, ...opts.args(root)], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      TMPDIR: tmp,
      NODE_OPTIONS,
      // git must not read the developer's config either.
      GIT_CONFIG_NOSYSTEM: '1',
      // Compiled once, shared by the runs (outside the directories checked for leftovers).
      NODE_COMPILE_CACHE: join(parent, 'compile-cache'),
      ...opts.env?.(root),
    },
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  })
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.on('data', (d: Buffer) => err.push(d))
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  )
  const leftovers = dirs.flatMap((d) => listFiles(d).map((f) => relative(root, join(d, f))))
  return {
    code,
    signal,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    leftovers,
    root,
  }
}

/** Every file and directory under `dir`, relative, without following links. */
export function listFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name)
      out.push(relative(dir, full))
      if (entry.isDirectory()) walk(full)
    }
  }
  walk(dir)
  return out.sort()
}

/** Path, type, size, mode, mtime and content hash of everything under `dir`: equal means untouched. */
export function snapshotDir(dir: string): string[] {
  return listFiles(dir).map((f) => {
    const full = join(dir, f)
    const st = lstatSync(full)
    const hash = st.isFile() ? createHash('sha1').update(readFileSync(full)).digest('hex') : ''
    return `${f}\0${st.mode}\0${st.size}\0${st.mtimeMs}\0${hash}`
  })
}

// ---------------------------------------------------------------------------
// What no output may contain

/** Bidi embeddings, overrides and isolates (Trojan Source). */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/

/**
 * Problems with text bound for a terminal or a CI log: escape sequences
 * (ESC, C1 CSI), bidi controls, and anything the Actions runner would read as
 * a workflow command. `allowCommands` lists the commands a run may issue
 * itself (the action's own ::error:: and the like); the CLI issues none.
 */
export function terminalProblems(
  text: string,
  allowCommands: (line: string) => boolean = () => false,
): string[] {
  const problems: string[] = []
  if (text.includes('\u001b')) problems.push('a raw ESC byte')
  if (text.includes('\u009b')) problems.push('a raw C1 CSI')
  if (text.includes('\u0007')) problems.push('a raw BEL')
  if (BIDI.test(text)) problems.push('a raw bidi control')
  if (text.includes('##[')) problems.push('an old-style ##[ command')
  for (const line of text.split('\n')) {
    if (/^\s*::/.test(line) && !allowCommands(line)) {
      problems.push(`a workflow command line: ${JSON.stringify(line.slice(0, 120))}`)
    }
  }
  return problems
}

// ---------------------------------------------------------------------------
// A canary: a server that must never be asked for anything

export interface Canary {
  url: string
  requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders }>
  stop(): Promise<void>
}

export async function startCanary(): Promise<Canary> {
  const requests: Canary['requests'] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// ---------------------------------------------------------------------------
// What a comment or job summary must be, whatever went into it

/** The only tags the renderer writes (besides the marker comment). */
const OUR_TAGS = /^<\/?(details|summary|code|br|sub)>$/
/** The only headings the renderer writes: the title and one per package. */
const OUR_HEADINGS = /^(## (✅|🟢|🟡|🟠|🔴) |### (✅|🟢|🟡|🟠|🔴) <code>)/
/** A diff line as renderHunk writes it: header, added, removed, context, or the cut note. */
const DIFF_LINE = /^(@@ -\d+,\d+ \+\d+,\d+ @@$|[+\- ]|… \d+ more lines$)/

/**
 * Problems with rendered Markdown, checked the way CommonMark/GFM would read
 * it (close enough for what the renderer emits): the marker once and first;
 * every fence closed, no info string but ours; tables of one width; no HTML
 * element, heading, link, image, mention, issue reference or bare-URL link that
 * we did not write; diff blocks made of diff lines only.
 */
export function markdownProblems(md: string, marker: string): string[] {
  const problems: string[] = []
  if (!md.startsWith(marker + '\n')) problems.push('does not start with the marker')
  const markers = md.split(marker).length - 1
  if (markers !== 1) problems.push(`the marker appears ${markers} times`)
  const { prose, blocks, unclosed } = scanFences(md)
  if (unclosed) problems.push('a code fence is never closed')
  for (const block of blocks) {
    if (!['', 'diff'].includes(block.info)) problems.push(`a fence info string: ${block.info}`)
    if (block.info !== 'diff') continue
    for (const line of block.lines) {
      if (!DIFF_LINE.test(line)) problems.push(`a diff line of ours? ${JSON.stringify(line)}`)
    }
  }
  tableShapes(prose).forEach((rows, i) => {
    if (new Set(rows).size !== 1)
      problems.push(`table ${i} has rows of ${[...new Set(rows)]} cells`)
  })
  for (const tag of htmlTags(prose.join('\n'))) {
    if (tag !== marker && !OUR_TAGS.test(tag)) problems.push(`HTML we did not write: ${tag}`)
  }
  for (const line of prose) {
    if (/^\s{0,3}#/.test(line) && !OUR_HEADINGS.test(line)) {
      problems.push(`a heading we did not write: ${line.slice(0, 80)}`)
    }
    const active = activeChars(line)
    if (/\]\(|!\[|\]\[|^\s{0,3}\[[^\]]*\]:/.test(active)) {
      problems.push(`link or image syntax: ${line.slice(0, 80)}`)
    }
  }
  const text = toText(prose.join('\n'))
  for (const [what, pattern] of [
    ['a mention', /@[\w-]/],
    ['an issue reference', /#\d|\bgh-\d/i],
    ['a bare URL GitHub would link', /\b[a-z][a-z0-9+.-]*:\/\/|\bwww\./i],
  ] as const) {
    const m = pattern.exec(text)
    if (m)
      problems.push(
        `${what}: ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 30))}`,
      )
  }
  return problems
}
