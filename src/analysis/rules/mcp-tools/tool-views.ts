// The tools of a version, by name, and the hash that says a description changed.
import { createHash } from 'node:crypto'
import type { ToolFact } from '../../facts.js'
import type { VersionView } from '../types.js'

export interface ToolAt extends ToolFact {
  file: string
}

/** Every tool definition of a version, in file order. */
export function toolsOf(version: VersionView): ToolAt[] {
  return version.code.flatMap((file) => file.tools.map((t) => ({ ...t, file: file.path })))
}

/** Whitespace and case do not change what a description tells the model. */
export function descriptionHash(description: string | null): string {
  if (description === null) return 'computed'
  const normalised = description.replace(/\s+/g, ' ').trim().toLowerCase()
  return createHash('sha256').update(normalised).digest('hex').slice(0, 12)
}
