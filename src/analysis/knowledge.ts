// What the analysis knows about the world, as data, one place each.
// Sources: Node.js API docs (core modules), the npm packages' own READMEs
// (mail and HTTP clients), npm's lifecycle-script docs, and public incident
// write-ups of exfiltration endpoints (webhooks, paste sites, tunnels).

/** Recipient fields of outgoing mail, compared after lower-casing and removing `-`, `_`, `h:`. */
export const RECIPIENT_FIELDS: ReadonlySet<string> = new Set([
  'to', // nodemailer, Resend, Mailgun, SendGrid personalizations
  'cc',
  'bcc',
  'replyto', // nodemailer replyTo, Postmark ReplyTo, Resend reply_to, Mailgun h:Reply-To
  'toaddresses', // AWS SES Destination.ToAddresses
  'ccaddresses',
  'bccaddresses',
  'recipient',
  'recipients',
  'rcpt',
  'rcptto',
  'envelopeto',
])

/** Method names that add a recipient: `msg.addBcc(x)`, `mail.setTo(x)`, SMTP clients. */
export const RECIPIENT_METHODS: ReadonlySet<string> = new Set([
  'addto',
  'addcc',
  'addbcc',
  'addreplyto',
  'addrecipient',
  'setto',
  'setcc',
  'setbcc',
  'setreplyto',
  'rcpt',
])

/** MIME headers and SMTP commands that carry a recipient inside a string. */
export const RAW_RECIPIENT_PREFIXES = ['to:', 'cc:', 'bcc:', 'reply-to:', 'rcpt to:'] as const

/** Core modules that open raw sockets or resolve names: rare in an MCP server. */
export const RAW_NETWORK_MODULES: ReadonlySet<string> = new Set(['net', 'tls', 'dgram', 'dns'])

/** Modules that make HTTP(S) or WebSocket requests. */
export const HTTP_MODULES: ReadonlySet<string> = new Set([
  'http',
  'https',
  'http2',
  'undici',
  'node-fetch',
  'axios',
  'got',
  'ky',
  'request',
  'superagent',
  'needle',
  'ws',
  'socket.io-client',
])

/** Global network APIs. */
export const NETWORK_GLOBALS: ReadonlySet<string> = new Set([
  'fetch',
  'WebSocket',
  'XMLHttpRequest',
  'EventSource',
])

/** Calls whose first argument is where a request goes. */
export const NETWORK_SINK_METHODS: ReadonlySet<string> = new Set([
  'fetch',
  'request',
  'get',
  'post',
  'put',
  'patch',
  'connect',
  'createConnection',
  'open',
  'send',
])

/** Object keys whose value is where a request goes. */
export const TARGET_KEYS: ReadonlySet<string> = new Set([
  'url',
  'uri',
  'baseurl',
  'endpoint',
  'host',
  'hostname',
  'server',
  'webhook',
  'webhookurl',
])

/** Modules that run other programs. */
export const EXEC_MODULES: ReadonlySet<string> = new Set([
  'child_process',
  'execa',
  'cross-spawn',
  'shelljs',
  'node-pty',
])

/** Lifecycle scripts npm runs on install (https://docs.npmjs.com/cli/using-npm/scripts). */
export const INSTALL_SCRIPTS = [
  'preinstall',
  'install',
  'postinstall',
  'prepare',
  'preprepare',
  'postprepare',
] as const

/**
 * Of those, the ones npm runs only for git dependencies and local development,
 * never when installing a published tarball from a registry.
 */
export const DEVELOPMENT_ONLY_SCRIPTS: ReadonlySet<string> = new Set([
  'prepare',
  'preprepare',
  'postprepare',
])

/** Paths of credentials in a home directory (matched as substrings, `\` normalised to `/`). */
export const CREDENTIAL_PATHS = [
  '.npmrc',
  '.yarnrc',
  '.netrc',
  '.git-credentials',
  '.ssh/',
  'id_rsa',
  'id_ed25519',
  '.aws/credentials',
  '.aws/config',
  '.config/gh',
  '.config/gcloud',
  '.azure/',
  '.kube/config',
  '.docker/config.json',
  '.bash_history',
  '.zsh_history',
  'Local State', // Chromium profile key store
  'Login Data', // Chromium saved passwords
  'wallet.dat',
  'Exodus/',
  '.electrum',
  '.config/solana',
] as const

/** Hosts used to receive exfiltrated data: webhooks, paste sites, tunnels, request bins. */
export const EXFIL_HOST_SUFFIXES = [
  'discord.com/api/webhooks', // matched against host + path
  'discordapp.com/api/webhooks',
  'hooks.slack.com',
  'api.telegram.org',
  'webhook.site',
  'requestbin.com',
  'requestbin.net',
  'pipedream.net',
  'pastebin.com',
  'paste.ee',
  'hastebin.com',
  'transfer.sh',
  'ngrok.io',
  'ngrok-free.app',
  'ngrok.app',
  'trycloudflare.com',
  'loca.lt',
  'serveo.net',
  'burpcollaborator.net',
  'oast.fun',
  'oast.pro',
  'interact.sh',
  'beeceptor.com',
] as const

/** Addresses that only the local machine or the cloud provider answers. */
export const METADATA_HOSTS: ReadonlySet<string> = new Set([
  '169.254.169.254',
  'metadata.google.internal',
  '100.100.100.200',
  'fd00:ec2::254',
])

/**
 * Calls that run a program, by module; `''` is the module itself called
 * (`execa(...)`, `spawn(...)` of cross-spawn). From each package's README and
 * the Node.js child_process docs.
 */
export const EXEC_CALLS: Readonly<Record<string, ReadonlySet<string>>> = {
  child_process: new Set([
    'exec',
    'execSync',
    'execFile',
    'execFileSync',
    'spawn',
    'spawnSync',
    'fork',
  ]),
  execa: new Set(['', 'execa', 'execaSync', 'execaCommand', 'execaCommandSync', '$', 'execaNode']),
  'cross-spawn': new Set(['', 'spawn', 'sync']),
  shelljs: new Set(['exec']),
  'node-pty': new Set(['spawn']),
}

/** Method names that run a program whoever provides them (a `child_process` passed around). */
export const UNAMBIGUOUS_EXEC_METHODS: ReadonlySet<string> = new Set([
  'execSync',
  'execFileSync',
  'spawnSync',
])

/** Programs that are shells: spawning one without a command is an interactive (remote) shell. */
export const SHELL_PROGRAMS: ReadonlySet<string> = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'fish',
  'cmd',
  'cmd.exe',
  'powershell',
  'powershell.exe',
  'pwsh',
])

/**
 * Pieces of a command line that download code, run it, or open a remote shell
 * (from public write-ups of npm install-time droppers and reverse shells).
 * Matched as substrings of the lower-cased command with single spaces.
 */
export const DROPPER_COMMANDS = {
  downloaders: [
    'curl ',
    'wget ',
    'iwr ',
    'invoke-webrequest',
    'invoke-restmethod',
    'certutil',
    'bitsadmin',
    'downloadstring',
    'downloadfile',
    'start-bitstransfer',
  ],
  runners: [
    '| sh',
    '|sh',
    '| bash',
    '|bash',
    '| zsh',
    '| iex',
    '|iex',
    'iex(',
    'iex (',
    'invoke-expression',
    'chmod +x',
    'chmod 7',
    '| node',
    '| python',
    'bash -c',
    'sh -c',
    'start-process',
  ],
  /** Enough on their own. */
  standalone: [
    '/dev/tcp/',
    '/dev/udp/',
    'nc -e',
    'ncat -e',
    'nc -c',
    'bash -i',
    'sh -i',
    'mkfifo',
    'socat ',
    'base64 -d |',
    'base64 --decode |',
    'powershell -e ',
    'powershell -enc',
    '-encodedcommand',
  ],
} as const

/** File-system modules whose write calls we follow. */
export const FS_MODULES: ReadonlySet<string> = new Set([
  'fs',
  'fs-extra',
  'graceful-fs',
  'original-fs',
])

/** Calls that write a file, and which argument is the destination. */
export const WRITE_CALLS: Readonly<Record<string, number>> = {
  writeFile: 0,
  writeFileSync: 0,
  appendFile: 0,
  appendFileSync: 0,
  createWriteStream: 0,
  outputFile: 0,
  outputFileSync: 0,
  writeJson: 0,
  writeJsonSync: 0,
  writeJSON: 0,
  writeJSONSync: 0,
  outputJson: 0,
  outputJsonSync: 0,
  copyFile: 1,
  copyFileSync: 1,
  cp: 1,
  cpSync: 1,
  copy: 1,
  copySync: 1,
  rename: 1,
  renameSync: 1,
  move: 1,
  moveSync: 1,
  symlink: 1,
  symlinkSync: 1,
}

/** Write calls whose name says "file system" without the module in sight. */
export const UNAMBIGUOUS_WRITE_METHODS: ReadonlySet<string> = new Set([
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createWriteStream',
  'copyFile',
  'copyFileSync',
  'outputFile',
  'outputFileSync',
])

/** Calls that read a file or list a directory; the first argument is the path. */
export const READ_METHODS: ReadonlySet<string> = new Set([
  'readFile',
  'readFileSync',
  'createReadStream',
  'readdir',
  'readdirSync',
  'readJson',
  'readJsonSync',
  'readJSON',
  'readJSONSync',
])

export type PersistenceKind =
  'shell-profile' | 'ci-workflow' | 'other-package' | 'startup' | 'agent-config'

/**
 * Places where a written file runs later or changes other software: shell
 * start-up files, CI workflows, installed packages, OS autostart locations, and
 * the configuration of AI agents (which lists the MCP servers they start).
 * Matched against a lower-cased path with `/` separators: `name` as the last
 * segment, `part` anywhere.
 */
export const PERSISTENCE_PATHS: ReadonlyArray<{
  kind: PersistenceKind
  name?: string
  part?: string
}> = [
  { kind: 'shell-profile', name: '.bashrc' },
  { kind: 'shell-profile', name: '.bash_profile' },
  { kind: 'shell-profile', name: '.bash_login' },
  { kind: 'shell-profile', name: '.profile' },
  { kind: 'shell-profile', name: '.zshrc' },
  { kind: 'shell-profile', name: '.zprofile' },
  { kind: 'shell-profile', name: '.zshenv' },
  { kind: 'shell-profile', name: '.zlogin' },
  { kind: 'shell-profile', part: '.config/fish/config.fish' },
  { kind: 'shell-profile', name: 'microsoft.powershell_profile.ps1' },
  { kind: 'shell-profile', part: '/etc/profile' },
  { kind: 'ci-workflow', part: '.github/workflows' },
  { kind: 'ci-workflow', name: '.gitlab-ci.yml' },
  { kind: 'ci-workflow', part: '.circleci/' },
  { kind: 'ci-workflow', name: 'azure-pipelines.yml' },
  { kind: 'ci-workflow', name: 'jenkinsfile' },
  { kind: 'other-package', part: 'node_modules/' },
  { kind: 'startup', part: 'start menu/programs/startup' },
  { kind: 'startup', part: 'library/launchagents' },
  { kind: 'startup', part: 'library/launchdaemons' },
  { kind: 'startup', part: '.config/autostart' },
  { kind: 'startup', part: '.config/systemd' },
  { kind: 'startup', part: '/etc/systemd' },
  { kind: 'startup', part: '/etc/cron' },
  { kind: 'startup', part: '/var/spool/cron' },
  { kind: 'startup', part: '/etc/init.d' },
  { kind: 'startup', name: 'rc.local' },
  { kind: 'startup', part: '.git/hooks/' },
  { kind: 'agent-config', name: 'claude_desktop_config.json' },
  { kind: 'agent-config', part: '.cursor/mcp.json' },
  { kind: 'agent-config', part: '.claude/settings' },
  { kind: 'agent-config', name: '.claude.json' },
  { kind: 'agent-config', part: 'windsurf/mcp_config.json' },
  { kind: 'agent-config', part: '.vscode/mcp.json' },
  { kind: 'agent-config', part: '.vscode/tasks.json' },
]

/** Folders under node_modules that tools write to: not another package. */
export const NODE_MODULES_CACHES = [
  'node_modules/.cache',
  'node_modules/.vite',
  'node_modules/.tmp',
]

/**
 * Environment variable names that hold secrets: API keys, tokens, passwords,
 * and the well-known CI and cloud credentials (NPM_TOKEN, GITHUB_TOKEN, AWS_*).
 * Compared upper-cased.
 */
export const SECRET_ENV_NAMES = {
  contains: [
    'TOKEN',
    'SECRET',
    'PASSWORD',
    'PASSWD',
    'PASSPHRASE',
    'PRIVATE_KEY',
    'API_KEY',
    'APIKEY',
    'ACCESS_KEY',
    'CREDENTIAL',
    'OAUTH',
    'SESSION_KEY',
    'COOKIE',
  ],
  suffixes: ['_KEY', '_PAT', '_PWD', '_AUTH'],
  prefixes: ['AWS_', 'AZURE_CLIENT', 'GOOGLE_APPLICATION'],
  /** Settings about secrets, not secrets: `..._TOKEN_TTL_MS`, `..._AUTH_URL`. */
  notSuffixes: [
    '_TTL',
    '_MS',
    '_SECONDS',
    '_URL',
    '_URI',
    '_ENDPOINT',
    '_TIMEOUT',
    '_ENABLED',
    '_DISABLED',
    '_EXPIRY',
    '_HEADER',
    '_REGION',
    '_PROFILE',
    '_MODE',
  ],
} as const

export function isSecretEnvName(name: string): boolean {
  if (name.length > 100) return false
  const upper = name.toUpperCase()
  if (SECRET_ENV_NAMES.notSuffixes.some((s) => upper.endsWith(s))) return false
  return (
    SECRET_ENV_NAMES.contains.some((c) => upper.includes(c)) ||
    SECRET_ENV_NAMES.suffixes.some((s) => upper.endsWith(s)) ||
    SECRET_ENV_NAMES.prefixes.some((p) => upper.startsWith(p))
  )
}

/** `os` calls that describe the machine and its user: what reconnaissance sends home. */
export const SYSTEM_INFO_METHODS: ReadonlySet<string> = new Set([
  'hostname',
  'userInfo',
  'networkInterfaces',
])

/** Which network modules make which kind of connection. */
export const SINK_KIND_OF_MODULE: Readonly<
  Record<string, 'http' | 'socket' | 'dns' | 'websocket'>
> = {
  http: 'http',
  https: 'http',
  http2: 'http',
  undici: 'http',
  'node-fetch': 'http',
  'cross-fetch': 'http',
  axios: 'http',
  got: 'http',
  ky: 'http',
  request: 'http',
  superagent: 'http',
  needle: 'http',
  'isomorphic-fetch': 'http',
  net: 'socket',
  tls: 'socket',
  dgram: 'socket',
  dns: 'dns',
  ws: 'websocket',
  'socket.io-client': 'websocket',
}

/** Calls of a network module, or of what it made (a request, a socket, a client), that send data. `''` is the module itself called. */
export const SINK_METHODS: Readonly<
  Record<'http' | 'socket' | 'dns' | 'websocket', ReadonlySet<string>>
> = {
  http: new Set([
    '',
    'fetch',
    'request',
    'get',
    'post',
    'put',
    'patch',
    'delete',
    'head',
    'options',
    'write',
    'end',
    'send',
    'stream',
    'query',
  ]),
  socket: new Set(['connect', 'createConnection', 'write', 'end', 'send']),
  dns: new Set([
    'lookup',
    'lookupService',
    'resolve',
    'resolve4',
    'resolve6',
    'resolveAny',
    'resolveCname',
    'resolveMx',
    'resolveNs',
    'resolveTxt',
    'resolveSrv',
    'reverse',
  ]),
  websocket: new Set(['', 'send', 'emit', 'write']),
}

/** Options keys that say where a request goes. */
export const DESTINATION_KEYS: ReadonlySet<string> = new Set([
  'url',
  'uri',
  'href',
  'baseurl',
  'prefixurl',
  'origin',
  'host',
  'hostname',
])

/** `vm` calls that compile and run a string. */
export const VM_RUNNERS: ReadonlySet<string> = new Set([
  'runInThisContext',
  'runInNewContext',
  'runInContext',
  'compileFunction',
  'Script',
  'SourceTextModule',
])

/** Globals whose reassignment intercepts every request or module load. */
export const HOOKABLE_GLOBALS: ReadonlySet<string> = new Set([
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'require',
])

export const GLOBAL_OBJECTS: ReadonlySet<string> = new Set([
  'globalThis',
  'global',
  'window',
  'self',
])

/** Members of core network modules whose replacement intercepts traffic. */
export const HOOKABLE_NETWORK_MEMBERS: ReadonlySet<string> = new Set([
  'request',
  'get',
  'connect',
  'createConnection',
  'lookup',
  'Socket',
  'Agent',
])

/** Members of `Module` (node:module) whose replacement intercepts every `require`. */
export const HOOKABLE_LOADER_MEMBERS: ReadonlySet<string> = new Set([
  'prototype',
  '_load',
  '_resolveFilename',
  '_extensions',
  '_compile',
  'wrap',
  'wrapper',
])

/**
 * Calls that register an MCP tool, prompt or resource handler: the handler's
 * parameters are what the model (and whoever wrote the message) sends. From the
 * MCP TypeScript SDK (`McpServer.tool/registerTool/...`, `Server.setRequestHandler`)
 * and FastMCP (`addTool({ execute })`).
 */
export const HANDLER_REGISTRATIONS: ReadonlySet<string> = new Set([
  'tool',
  'registerTool',
  'prompt',
  'registerPrompt',
  'resource',
  'registerResource',
  'setRequestHandler',
  'addTool',
  'addPrompt',
  'addResource',
  'addResourceTemplate',
])

/** Keys of an object literal that hold a handler function. */
export const HANDLER_KEYS: ReadonlySet<string> = new Set([
  'execute',
  'handler',
  'run',
  'callback',
  'load',
])

/** Keys that, next to `name` and `description`, make an object literal a tool definition. */
export const TOOL_DEFINITION_KEYS: ReadonlySet<string> = new Set([
  'inputSchema',
  'input_schema',
  'parameters',
  'execute',
  'handler',
  'annotations',
  'outputSchema',
])

/**
 * What a tool description says to the model that it should not: hidden
 * instruction tags, secrecy towards the user, overriding instructions, reading
 * secrets, and sending data elsewhere or steering other tools. From public
 * write-ups of MCP tool poisoning (Invariant Labs, 2025) and prompt-injection
 * research. Phrases are matched in the lower-cased description with single spaces.
 */
export const TOOL_POISONING_SIGNALS: ReadonlyArray<{
  signal: string
  /** Enough on its own; the others count when a description has two kinds of signal. */
  strong: boolean
  phrases: readonly string[]
}> = [
  {
    signal: 'hidden-instruction tag',
    strong: true,
    phrases: [
      '<important>',
      '<system>',
      '</system>',
      '<instructions>',
      '<instruction>',
      '<secret>',
      '<hidden>',
      '<admin>',
      '<system_prompt>',
      '[system]',
      '[important]',
      '[hidden]',
      '<!--',
      '<|im_start|>',
      '<|system|>',
    ],
  },
  {
    signal: 'secrecy towards the user',
    strong: true,
    phrases: [
      'do not tell the user',
      "don't tell the user",
      'do not mention',
      "don't mention",
      'do not inform the user',
      'not tell the user',
      'without telling',
      'without informing',
      'without notifying',
      'without asking the user',
      'keep this secret',
      'must not know',
      'should not know',
      'do not reveal',
      'never reveal',
      'do not disclose',
      'not visible to the user',
      'hide this from',
      'silently',
    ],
  },
  {
    signal: 'instruction override',
    strong: true,
    phrases: [
      'ignore previous instructions',
      'ignore all previous',
      'ignore prior instructions',
      'ignore the above',
      'ignore any previous',
      'disregard previous',
      'disregard all',
      'disregard any',
      'forget your instructions',
      'new instructions:',
      'your system prompt',
      'you are now',
    ],
  },
  {
    signal: 'request to read secrets',
    strong: false,
    phrases: [
      '~/.ssh',
      'id_rsa',
      'id_ed25519',
      '.env file',
      'mcp.json',
      'claude_desktop_config',
      '~/.aws',
      '.npmrc',
    ],
  },
  {
    signal: 'request to send data elsewhere',
    strong: false,
    phrases: [
      'send it to',
      'send them to',
      'send the contents',
      'send all',
      'forward all',
      'forward the contents',
      'forward every',
      'include the contents',
      'pass its content',
      'pass the content',
      'as a sidenote',
      'in the sidenote',
      'append it to the',
      'must be sent to',
    ],
  },
  {
    signal: 'steering of other tools',
    strong: true,
    phrases: [
      'when this tool is available',
      'other tools',
      'another tool',
      'any other tool',
      'all other tools',
      'before using any',
      'before calling any',
      'all emails',
      'every email',
      'mcp_tool_',
      'change the recipient',
      'instead of the user',
    ],
  },
]

/**
 * Calls of a network module that return a client, request or socket we follow
 * (`axios.create()`, `https.request()`, `net.connect()`, `new WebSocket()`);
 * `''` is the module itself called or constructed.
 */
export const CLIENT_FACTORIES: ReadonlySet<string> = new Set([
  '',
  'create',
  'extend',
  'request',
  'connect',
  'createConnection',
  'createSocket',
  'Socket',
  'Client',
  'Pool',
  'Agent',
  'WebSocket',
])

/** Programs that can do anything or reach the network: shells, interpreters, downloaders, schedulers. */
export const SENSITIVE_PROGRAMS: ReadonlySet<string> = new Set([
  ...SHELL_PROGRAMS,
  'node',
  'python',
  'python3',
  'perl',
  'ruby',
  'php',
  'osascript',
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'ssh',
  'scp',
  'sftp',
  'ftp',
  'tftp',
  'telnet',
  'certutil',
  'bitsadmin',
  'mshta',
  'rundll32',
  'regsvr32',
  'reg',
  'schtasks',
  'crontab',
  'launchctl',
  'systemctl',
  'chmod',
  'sudo',
  'su',
  'npx',
  'bunx',
])
