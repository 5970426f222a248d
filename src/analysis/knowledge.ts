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
