// Structural checks on rendered Markdown, close enough to CommonMark/GFM for
// what the renderer emits: fenced code blocks, raw HTML tags, table rows.

export interface CodeBlock {
  fence: string
  info: string
  lines: string[]
}

export interface ScannedMarkdown {
  /** Lines outside fenced code blocks. */
  prose: string[]
  blocks: CodeBlock[]
  /** True when a fence was opened and never closed. */
  unclosed: boolean
}

const OPENING_FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/

export function scanFences(md: string): ScannedMarkdown {
  const prose: string[] = []
  const blocks: CodeBlock[] = []
  let open: CodeBlock | null = null
  for (const line of md.split('\n')) {
    if (open) {
      const fenceChar = open.fence.charAt(0)
      const closing = new RegExp(`^ {0,3}\\${fenceChar}{${open.fence.length},}[ \\t]*$`)
      if (closing.test(line)) open = null
      else open.lines.push(line)
      continue
    }
    const m = OPENING_FENCE.exec(line)
    const fence = m?.[1]
    const info = m?.[2] ?? ''
    if (fence && !(fence.startsWith('`') && info.includes('`'))) {
      open = { fence, info: info.trim(), lines: [] }
      blocks.push(open)
      continue
    }
    prose.push(line)
  }
  return { prose, blocks, unclosed: open !== null }
}

/** The characters that Markdown acts on: backslash-escaped ones are dropped. */
export function activeChars(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++
    else out += s[i]
  }
  return out
}

/** Every raw HTML tag or comment opener in `text` (what CommonMark would pass through). */
export function htmlTags(text: string): string[] {
  return text.match(/<[A-Za-z/!?][^<>\n]*>?/g) ?? []
}

/** The cell count of each row of each table in `prose`, unescaped pipes only. */
export function tableShapes(prose: string[]): number[][] {
  const tables: number[][] = []
  let current: number[] | null = null
  for (const line of prose) {
    if (!line.startsWith('|')) {
      current = null
      continue
    }
    if (!current) {
      current = []
      tables.push(current)
    }
    current.push(activeChars(line).split('|').length - 2)
  }
  return tables
}

/** The text a reader sees for inline Markdown: escapes applied, entities decoded. */
export function toText(inline: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' }
  return inline
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(#\d+|[a-z]+);/g, (entity, name: string) =>
      name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (named[name] ?? entity),
    )
}
