import {
  escapeForLog,
  escapeForTerminal,
  escapeJsonForTerminal,
  escapeMarkdownInline,
  renderCodeBlock,
} from '../../src/render/escape.js'
import { activeChars, htmlTags, scanFences, toText } from './markdown-check.js'

const ESC = '\u001b'
const HIDDEN_SAMPLES: [string, string, string][] = [
  ['ANSI colour', `${ESC}[31mred${ESC}[0m`, '\\u001b'],
  ['OSC 8 hyperlink', `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;\u0007`, '\\u0007'],
  ['C1 CSI', '\u009b31m', '\\u009b'],
  ['NUL', 'a\u0000b', '\\u0000'],
  ['bidi override (Trojan Source)', 'access\u202e;level', '\\u202e'],
  ['bidi isolate', '\u2066admin\u2069', '\\u2066'],
  ['zero-width space', 'pay\u200bpal', '\\u200b'],
  ['Unicode tag (ASCII smuggling)', 'hi\u{E0041}\u{E0042}', '\\u{e0041}'],
  ['lone surrogate', 'x\ud800y', '\\ud800'],
]
const RAW_HIDDEN =
  // eslint-disable-next-line no-control-regex -- they are what it finds
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]|\p{Cs}/u

describe('escapeMarkdownInline', () => {
  test.each([
    ['@octocat'],
    ['@org/team'],
    ['cc @octocat and @org/team'],
    ['mail copies@postbox-backup.example'],
  ])('does not mention anyone in %j', (input) => {
    const text = toText(escapeMarkdownInline(input))
    expect(text).not.toMatch(/@[\w-]/)
    expect(text).toContain('@\u200b')
  })

  test.each([['#123'], ['owner/repo#45'], ['GH-123'], ['gh-7']])(
    'does not link an issue in %j',
    (input) => {
      const text = toText(escapeMarkdownInline(input))
      expect(text).not.toMatch(/#\d/)
      expect(text).not.toMatch(/gh-\d/i)
    },
  )

  test.each([
    ['<img src=x onerror=alert(1)>'],
    ['<script>alert(1)</script>'],
    ['</details><details open>'],
    ['<!-- mcp-diff-review -->'],
    ['<https://evil.example>'],
    ['&lt;script&gt;'],
  ])('renders no HTML element from %j', (input) => {
    const out = escapeMarkdownInline(input)
    expect(htmlTags(out)).toEqual([])
    expect(out).not.toMatch(/[<>"']/)
    // Every & starts one of our entities, so an input entity shows as text.
    expect(out).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;|#8203;)/)
  })

  test.each([
    ['[click me](javascript:alert(1))'],
    ['](javascript:alert(1))'],
    ['![x](https://evil.example/pixel.png)'],
    ['[x]: https://evil.example'],
    ['\\[x\\](javascript:alert(1))'],
  ])('leaves no link or image syntax active in %j', (input) => {
    expect(activeChars(escapeMarkdownInline(input))).not.toMatch(/[[\]()!]/)
  })

  test.each([['a|b'], ['| a | b |'], ['\\|'], ['`|`']])(
    'leaves no table pipe active in %j',
    (input) => {
      expect(activeChars(escapeMarkdownInline(input))).not.toContain('|')
    },
  )

  test.each([['*bold*'], ['_em_'], ['`code`'], ['~~strike~~'], ['$x^2$'], ['# heading']])(
    'leaves no emphasis, code, strikethrough, math or heading active in %j',
    (input) => {
      expect(activeChars(escapeMarkdownInline(input))).not.toMatch(/[*_`~$#]/)
    },
  )

  test.each([
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['=====', '\\====='],
    ['1. item', '1\\. item'],
    ['a-b+c', 'a-b+c'],
  ])('defuses a line-start marker in %j', (input, expected) => {
    expect(escapeMarkdownInline(input)).toBe(expected)
  })

  test.each(HIDDEN_SAMPLES)('shows a hidden character visibly: %s', (_name, input, visible) => {
    const out = escapeMarkdownInline(input)
    expect(out).not.toMatch(RAW_HIDDEN)
    // A backslash is escaped in Markdown, so `\\u001b` renders as `\u001b`.
    expect(out).toContain(`\\${visible}`)
  })

  test('collapses CR, LF and tabs to spaces', () => {
    expect(escapeMarkdownInline('a\r\nb\nc\rd\te\u2028f')).toBe('a b c d e f')
  })

  test('keeps plain text as it is', () => {
    expect(escapeMarkdownInline('index.js line 27 uses fetch')).toBe('index.js line 27 uses fetch')
  })

  test('caps the length with an ellipsis, 300 by default', () => {
    expect(escapeMarkdownInline('x'.repeat(1000))).toBe('x'.repeat(299) + '…')
    expect(escapeMarkdownInline('x'.repeat(300))).toBe('x'.repeat(300))
    expect(escapeMarkdownInline('abcdefghijkl', 5)).toBe('abcd…')
  })

  test('caps before escaping, so no entity is cut in half', () => {
    expect(escapeMarkdownInline('<<<<<<', 4)).toBe('&lt;&lt;&lt;…')
  })

  test('never splits a surrogate pair when capping', () => {
    const out = escapeMarkdownInline('😀'.repeat(400))
    expect(Array.from(out)).toHaveLength(300)
    expect(out).not.toMatch(/\p{Cs}/u)
  })
})

describe('renderCodeBlock', () => {
  test.each(Array.from({ length: 10 }, (_, i) => [i + 1]))(
    'a backtick run of length %i cannot close the fence',
    (n) => {
      const run = '`'.repeat(n)
      const text = [run, `code ${run} inline`, `   ${run}`, `${run}js`, 'end'].join('\n')
      const out = renderCodeBlock(text, 'js')
      const scanned = scanFences(out + '\nafter')
      expect(scanned.unclosed).toBe(false)
      expect(scanned.blocks).toHaveLength(1)
      expect(scanned.blocks[0]?.lines).toEqual(text.split('\n'))
      expect(scanned.prose).toEqual(['after'])
    },
  )

  test('uses a three-backtick fence and the language for plain code', () => {
    expect(renderCodeBlock('const a = 1', 'js')).toBe('```js\nconst a = 1\n```')
  })

  test('drops a language that is not a plain word', () => {
    expect(renderCodeBlock('x', 'js\n```')).toBe('```\nx\n```')
    expect(renderCodeBlock('x', 'js `x`')).toBe('```\nx\n```')
  })

  test('leaves tildes alone: they cannot close a backtick fence', () => {
    const out = renderCodeBlock('~~~\n~~~~~~', '')
    expect(scanFences(out).blocks[0]?.lines).toEqual(['~~~', '~~~~~~'])
  })

  test.each(HIDDEN_SAMPLES)('shows a hidden character visibly: %s', (_name, input, visible) => {
    const out = renderCodeBlock(input, '')
    expect(out).not.toMatch(RAW_HIDDEN)
    expect(out).toContain(visible)
  })

  test('shows a lone CR, reads CRLF as a line end, keeps tabs', () => {
    expect(renderCodeBlock('a\r\nb\rc\td\n', '')).toBe('```\na\nb\\u000dc\td\n```')
  })

  test('caps the number of lines and says how many are left out', () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n')
    expect(renderCodeBlock(text, '', { maxLines: 3 })).toBe(
      '```\nline 0\nline 1\nline 2\n… 7 more lines\n```',
    )
  })

  test('caps the length of each line', () => {
    expect(renderCodeBlock('x'.repeat(20), '', { maxLineLength: 5 })).toBe('```\nxxxx…\n```')
    expect(renderCodeBlock('x'.repeat(600), '')).toBe('```\n' + 'x'.repeat(499) + '…\n```')
  })
})

describe('escapeForLog', () => {
  test.each([
    ['::set-output name=x::y'],
    ['::error::pwned'],
    ['  ::warning file=a.js::b'],
    ['\u00a0::add-mask::secret'],
    ['ok\n::stop-commands::token'],
    ['a::b'],
  ])('no workflow command survives in %j', (input) => {
    const out = escapeForLog(input)
    expect(out).not.toContain('::')
    expect(out).toContain(`:\u200b:`)
  })

  test.each([['##[error]pwned'], ['prefix ##[group]x']])(
    'the old ##[ command syntax is defused anywhere in %j',
    (input) => {
      expect(escapeForLog(input)).not.toContain('##[')
    },
  )

  test.each(HIDDEN_SAMPLES)('shows a hidden character visibly: %s', (_name, input, visible) => {
    const out = escapeForLog(input)
    expect(out).not.toMatch(RAW_HIDDEN)
    expect(out).toContain(visible)
  })

  test('keeps newlines and tabs, shows CR', () => {
    expect(escapeForLog('a\tb\nc\rd')).toBe('a\tb\nc\\u000dd')
  })

  test("escapes a command's data like @actions/core does", () => {
    expect(escapeForLog('50%\r\nnext::x', { workflowCommand: 'data' })).toBe(
      `50%25%0D%0Anext:\u200b:x`,
    )
    expect(escapeForLog('50%', {})).toBe('50%')
  })

  test("escapes a command's property like @actions/core does", () => {
    expect(escapeForLog('a:b,c%\n', { workflowCommand: 'property' })).toBe('a%3Ab%2Cc%25%0A')
  })

  test('caps the length, 2000 by default', () => {
    expect(escapeForLog('x'.repeat(5000))).toHaveLength(2000)
    expect(escapeForLog('abcdef', { maxLength: 3 })).toBe('ab…')
  })
})

describe('escapeForTerminal', () => {
  test.each(HIDDEN_SAMPLES)('shows a hidden character visibly: %s', (_name, input, visible) => {
    const out = escapeForTerminal(input)
    expect(out).not.toMatch(RAW_HIDDEN)
    expect(out).toContain(visible)
  })

  test('keeps the layout: newlines and tabs', () => {
    expect(escapeForTerminal('| a |\n\tb\n')).toBe('| a |\n\tb\n')
  })

  test('defuses a line that the Actions runner would read as a command', () => {
    const out = escapeForTerminal('text\n::error::pwned\n   ::add-mask::x\n##[error]y')
    expect(out.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([])
    expect(out).not.toContain('##[')
  })

  test('leaves :: inside a line alone', () => {
    expect(escapeForTerminal('std::string s;')).toBe('std::string s;')
  })
})

describe('escapeJsonForTerminal', () => {
  test.each(HIDDEN_SAMPLES)('escapes a hidden character, same value: %s', (_name, input) => {
    const json = JSON.stringify({ evidence: `a${input}b` }, null, 2)
    const out = escapeJsonForTerminal(json)
    expect(out).not.toMatch(RAW_HIDDEN)
    expect(JSON.parse(out)).toEqual(JSON.parse(json))
  })

  test('defuses ##[ inside strings and keeps the layout', () => {
    const json = JSON.stringify({ message: '##[add-mask]x', list: [1] }, null, 2)
    const out = escapeJsonForTerminal(json)
    expect(out).not.toContain('##[')
    expect(out.split('\n')).toHaveLength(json.split('\n').length)
    expect(JSON.parse(out)).toEqual({ message: '##[add-mask]x', list: [1] })
  })
})
