// Lockfiles by name, and one entry point that reads any of them.
//
// Every parser is a pure function (path, text) => Lockfile that lists the
// packages installed from a registry, a tarball URL or git, one per installed
// instance. What a repository holds itself (the root project, workspace
// packages, linked and local folders) is not listed: its code is in the pull
// request's own diff. Anything else the parsers do not understand is an
// ELOCKPARSE naming the file and line, never a silent skip; a size bound is
// ETOOLARGE.
import { ReviewError, isReviewError } from '../../errors.js'
import type { Lockfile } from '../types.js'
import { LIMITS, messageOf } from './common.js'
import { parseBunLockfile } from './bun.js'
import { parseNpmLockfile } from './npm.js'
import { parsePnpmLockfile } from './pnpm.js'
import { parseYarnBerryLockfile } from './yarn-berry.js'
import { parseYarnClassicLockfile } from './yarn-classic.js'

export { LIMITS } from './common.js'

/** The lockfile names we read (bun.lockb is binary: Bun 1.2+ writes bun.lock). */
export const LOCKFILE_NAMES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
] as const

export type LockfileName = (typeof LOCKFILE_NAMES)[number]

/** True for a lockfile in any directory (a monorepo may have several). */
export function isLockfilePath(path: string): boolean {
  return lockfileName(path) !== null
}

function lockfileName(path: string): LockfileName | null {
  const base = path.slice(path.lastIndexOf('/') + 1)
  return LOCKFILE_NAMES.find((name) => name === base) ?? null
}

// Yarn Berry writes `__metadata:` as the first key; a classic yarn.lock cannot have it.
const BERRY_METADATA = /^["']?__metadata["']?[ \t]*:/m

/**
 * Reads a lockfile by its name (and, for yarn.lock, its content).
 * Throws ELOCKPARSE for a file we cannot read, ETOOLARGE past a bound.
 */
export function parseLockfile(path: string, text: string): Lockfile {
  const name = lockfileName(path)
  if (name === null) {
    throw new ReviewError(
      'ELOCKPARSE',
      `${path}: not a lockfile we read; we read ${LOCKFILE_NAMES.join(', ')}.`,
    )
  }
  if (text.length > LIMITS.maxTextLength) {
    throw new ReviewError(
      'ETOOLARGE',
      `${path}: ${text.length} characters, over the limit of ${LIMITS.maxTextLength} for a lockfile.`,
    )
  }
  try {
    return parseByName(name, path, text)
  } catch (err) {
    if (isReviewError(err)) throw err
    // A parser library failing in a way we did not foresee (a stack overflow,
    // say) is still this file's problem, and must not stop the whole run.
    throw new ReviewError('ELOCKPARSE', `${path}: cannot parse it: ${messageOf(err)}.`, {
      cause: err,
    })
  }
}

function parseByName(name: LockfileName, path: string, text: string): Lockfile {
  switch (name) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return parseNpmLockfile(path, text)
    case 'yarn.lock':
      return BERRY_METADATA.test(text)
        ? parseYarnBerryLockfile(path, text)
        : parseYarnClassicLockfile(path, text)
    case 'pnpm-lock.yaml':
      return parsePnpmLockfile(path, text)
    case 'bun.lock':
      return parseBunLockfile(path, text)
  }
}
