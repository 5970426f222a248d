// Reading a repository's files at a commit with git. The only place that runs git.
// Hooks and fsmonitor are switched off: the repository may come from a PR.
import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ReviewError } from '../errors.js'

const run = promisify(execFile)

/** Lockfiles of huge monorepos reach tens of MB; beyond this we refuse. */
export const MAX_REPO_FILE_BYTES = 64 * 1024 * 1024

/** The working tree (uncommitted changes included) instead of a commit. */
export const WORKTREE = ':worktree'

const SAFE = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.quotePath=false',
]

async function git(repo: string, args: string[], maxBuffer = 16 * 1024 * 1024): Promise<string> {
  try {
    const { stdout } = await run('git', [...SAFE, ...args], {
      cwd: repo,
      maxBuffer,
      encoding: 'utf8',
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    })
    return stdout
  } catch (err) {
    const e = err as { stderr?: string; message?: string; code?: unknown }
    const detail = (e.stderr || e.message || String(err)).trim().split('\n')[0]
    throw new ReviewError('EGIT', `git ${args[0]} failed in ${repo}: ${detail}`, { cause: err })
  }
}

/** The commit a ref names; EGIT with git's answer when it names none. */
export async function resolveRef(repo: string, ref: string): Promise<string> {
  return (await git(repo, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])).trim()
}

/** The branch the repository treats as default: origin's HEAD, else main or master. */
export async function findDefaultBranch(repo: string): Promise<string> {
  try {
    const head = (await git(repo, ['symbolic-ref', '--short', 'refs/remotes/origin/HEAD'])).trim()
    if (head) return head
  } catch {
    // No remote HEAD: fall through to the usual names.
  }
  for (const name of ['main', 'master', 'origin/main', 'origin/master']) {
    try {
      await resolveRef(repo, name)
      return name
    } catch {
      // Try the next name.
    }
  }
  throw new ReviewError('EGIT', `cannot find the default branch of ${repo}; pass --base REF`)
}

export async function findMergeBase(repo: string, a: string, b: string): Promise<string> {
  return (await git(repo, ['merge-base', '--end-of-options', a, b])).trim()
}

/** A file's text at a commit (or in the working tree); null when it does not exist there. */
export async function readRepoFile(
  repo: string,
  ref: string,
  path: string,
): Promise<string | null> {
  if (ref === WORKTREE) {
    const full = join(repo, path)
    const info = await stat(full).catch(() => null)
    if (!info?.isFile()) return null
    checkSize(path, info.size)
    return readFile(full, 'utf8')
  }
  const object = `${ref}:${path}`
  let size: number
  try {
    size = Number((await git(repo, ['cat-file', '-s', '--end-of-options', object])).trim())
  } catch {
    return null
  }
  checkSize(path, size)
  return git(repo, ['cat-file', 'blob', '--end-of-options', object], size + 1024)
}

function checkSize(path: string, size: number): void {
  if (size > MAX_REPO_FILE_BYTES) {
    throw new ReviewError(
      'ETOOLARGE',
      `${path} is ${size} bytes, over the ${MAX_REPO_FILE_BYTES}-byte limit for lockfiles and configs`,
    )
  }
}

/** Paths that differ between two commits, or between a commit and the working tree (untracked files included). */
export async function listChangedPaths(
  repo: string,
  base: string,
  head: string,
): Promise<string[]> {
  const range = head === WORKTREE ? [base] : [base, head]
  const out = await git(repo, [
    'diff',
    '--name-only',
    '-z',
    '--no-renames',
    '--end-of-options',
    ...range,
  ])
  const paths = out.split('\0').filter(Boolean)
  if (head === WORKTREE) {
    const untracked = await git(repo, ['ls-files', '-z', '--others', '--exclude-standard'])
    paths.push(...untracked.split('\0').filter(Boolean))
  }
  return [...new Set(paths)].sort()
}
