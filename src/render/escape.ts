// One escaping function per output. Every string from a package, lockfile,
// registry or PR passes through exactly one of these before it leaves us.
//
// The common move: characters that are invisible or that a terminal, browser
// or runner would act on are shown as `\uXXXX` text, never silently dropped,
// so a reviewer sees that something odd is there.

/**
 * C0 controls (tab, newline and CR included: each output decides about those),
 * DEL, C1 controls, and characters that hide or reorder text: soft hyphen,
 * Arabic letter mark, Mongolian vowel separator, zero-width and direction
 * marks (U+200B-200F), line/paragraph separators, bidi embeddings and
 * overrides (U+202A-202E), word joiner and invisible operators
 * (U+2060-2064), bidi isolates (U+2066-2069), BOM, Unicode tags (used to
 * smuggle ASCII past readers), variation selectors supplement, and lone
 * surrogates. Sources: Unicode TR9 (bidi), CVE-2021-42574 (Trojan Source).
 */
const HIDDEN =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- they are what it finds
  /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]|\p{Cs}/gu

const ZWSP = '\u200B'

/** `\u001b`, `\u202e`, `\u{e0041}`: the code point as visible text. */
function toVisible(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0
  const hex = cp.toString(16)
  return cp > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`
}

/** Shows every hidden character as `\uXXXX`, except those listed in `keep`. */
function showHidden(s: string, keep = ''): string {
  return s.replace(HIDDEN, (ch) => (keep.includes(ch) ? ch : toVisible(ch)))
}

/** Caps `s` at `max` code points (never splitting a surrogate pair), ending in an ellipsis. */
function capLength(s: string, max: number): string {
  if (s.length <= max) return s
  const points = Array.from(s)
  if (points.length <= max) return s
  return points.slice(0, Math.max(0, max - 1)).join('') + '…'
}

/**
 * A workflow command is a line that starts with `::` (after whitespace) or
 * contains `##[` (the runner's older syntax, matched anywhere in a line).
 * A zero-width space between the two characters stops the runner from
 * parsing it and leaves the text readable.
 */
function defuseWorkflowCommands(s: string, everywhere: boolean): string {
  const colons = everywhere
    ? s.replace(/:(?=:)/g, `:${ZWSP}`) // every pair, `:::` too
    : s.replace(/^(\s*):(?=:)/gm, `$1:${ZWSP}`)
  return colons.replaceAll('##[', `#${ZWSP}#[`)
}

// Inline Markdown --------------------------------------------------------

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Backslash-escaped everywhere: emphasis, code spans, links and images,
 * headings, table cells, strikethrough and GitHub math. `-`, `+`, `=` and
 * `1.` only matter at the start of a line, handled separately.
 */
const MARKDOWN_SPECIALS = new Set('\\`*_[]()#!|~$')

/**
 * GitHub turns `@user`/`@org/team` into pings and `#123`/`GH-123` into issue
 * links (which add a cross-reference to that issue). A zero-width space after
 * the `@`, `#` or `GH-` breaks the pattern; written as an entity so the raw
 * Markdown shows it (Renovate does the same for release notes).
 */
const ZWSP_ENTITY = '&#8203;'

function escapeInlineChar(points: string[], i: number): string {
  const ch = points[i] ?? ''
  const next = points[i + 1] ?? ''
  let out = HTML_ENTITIES[ch] ?? (MARKDOWN_SPECIALS.has(ch) ? `\\${ch}` : ch)
  const breaksReference =
    ch === '@' ||
    (ch === '#' && /\d/.test(next)) ||
    (ch === '-' && /\d/.test(next) && /gh$/i.test(points.slice(Math.max(0, i - 2), i).join('')))
  // GitHub also links bare URLs (`https://x`, `www.x`), in <code> too: the
  // same zero-width space after the scheme's colon or inside `www.` stops it.
  const breaksAutolink =
    (ch === ':' && next === '/' && points[i + 2] === '/') ||
    (next === '.' && /^www$/i.test(points.slice(Math.max(0, i - 2), i + 1).join('')))
  if (breaksReference || breaksAutolink) out += ZWSP_ENTITY
  return out
}

/**
 * Text for a Markdown paragraph, heading or table cell on GitHub: one line, no
 * HTML, no Markdown syntax, no mentions, issue references or bare-URL links;
 * hidden characters shown as `\uXXXX`. Also safe inside `<code>` (its content
 * is still parsed as Markdown). Capped at `maxLength` code points of input.
 */
export function escapeMarkdownInline(s: string, maxLength = 300): string {
  const oneLine = s.replace(/\r\n|[\r\n\t\v\f\u0085\u2028\u2029]/g, ' ')
  const points = Array.from(showHidden(capLength(oneLine, maxLength)))
  const escaped = points.map((_, i) => escapeInlineChar(points, i)).join('')
  // In case a caller puts the text at the start of a line: no list item,
  // thematic break or setext underline.
  return escaped.replace(/^[-+=]/, '\\$&').replace(/^(\d{1,9})\.(?=\s|$)/, '$1\\.')
}

// Code blocks --------------------------------------------------------------

export interface CodeBlockOptions {
  /** Lines shown; the rest are counted in a last line. Default 200. */
  maxLines?: number
  /** Code points shown per line; longer lines end in an ellipsis. Default 500. */
  maxLineLength?: number
}

/**
 * A fenced code block that its content cannot close: the fence is longer than
 * the longest backtick run inside. Hidden characters (tab excepted) are shown
 * as `\uXXXX`; CRLF line ends are read as LF.
 */
export function renderCodeBlock(text: string, lang = '', opts: CodeBlockOptions = {}): string {
  const maxLines = opts.maxLines ?? 200
  const maxLineLength = opts.maxLineLength ?? 500
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n')
  const shown = lines
    .slice(0, maxLines)
    .map((line) => showHidden(capLength(line, maxLineLength), '\t'))
  if (lines.length > maxLines) shown.push(`… ${lines.length - maxLines} more lines`)
  const body = shown.join('\n')
  const longestRun = (body.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0)
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  // The info string is ours, but keep it to a plain word so it cannot carry anything.
  const info = /^[\w+.-]{1,32}$/.test(lang) ? lang : ''
  return `${fence}${info}\n${body}\n${fence}`
}

// Logs and terminals -------------------------------------------------------

export interface LogOptions {
  /** Code points kept; default 2000. */
  maxLength?: number
  /**
   * Set only when writing a `::command::` line yourself: `data` applies the
   * runner's escaping for the message (`%`, CR, LF), `property` also escapes
   * `:` and `,`. @actions/core (error, warning, notice, issueCommand) already
   * does this, so text passed to it must not set this option (it would show
   * `%25`).
   */
  workflowCommand?: 'data' | 'property'
}

/**
 * Text for a log line or an annotation: hidden characters shown as `\uXXXX`
 * (newline and tab kept unless escaped for a command), and no part of it can
 * be read by the Actions runner as a workflow command.
 */
export function escapeForLog(s: string, opts: LogOptions = {}): string {
  let out = capLength(s, opts.maxLength ?? 2000)
  if (opts.workflowCommand) {
    // Same order as @actions/core's escapeData / escapeProperty.
    out = out.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
    if (opts.workflowCommand === 'property') out = out.replace(/:/g, '%3A').replace(/,/g, '%2C')
  }
  return defuseWorkflowCommands(showHidden(out, '\n\t'), true)
}

/**
 * Text (typically the rendered Markdown) printed to a terminal: no escape
 * sequence reaches it and bidi controls are shown. The terminal may be a CI
 * log, so lines that would be workflow commands are defused too; `::` inside
 * a line (C++ or Rust paths in code) is left alone.
 */
export function escapeForTerminal(s: string): string {
  return defuseWorkflowCommands(showHidden(s, '\n\t'), false)
}

/**
 * JSON text for a terminal, still the same JSON: JSON.stringify leaves C1
 * controls, bidi and zero-width characters and `##[` raw inside strings.
 * Each hidden character becomes a `\uXXXX` escape (one per UTF-16 unit) and
 * `##[` becomes `#\u0023[`; the parsed value does not change. Lines of
 * JSON.stringify's output start with spaces and a quote or bracket, never `::`.
 */
export function escapeJsonForTerminal(json: string): string {
  return json
    .replace(HIDDEN, (ch) =>
      ch === '\n'
        ? ch
        : Array.from(
            { length: ch.length },
            (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`,
          ).join(''),
    )
    .replaceAll('##[', '#\\u0023[')
}
