// What makes a package MCP-related, as data.
// Sources: the MCP TypeScript SDK and the frameworks listed in the MCP docs and
// on npm (searched for "mcp server framework"); the official MCP registry's
// `mcpName` field (server.json schema); MCP client docs for config locations.

/** SDKs and frameworks an MCP server depends on. */
export const MCP_SDKS: ReadonlySet<string> = new Set([
  '@modelcontextprotocol/sdk',
  '@modelcontextprotocol/server',
  'fastmcp',
  'mcp-framework',
  '@mastra/mcp',
  'mcp-proxy',
  'mcp-remote',
  '@vercel/mcp-adapter',
  'mcp-handler',
  '@cloudflare/mcp-agent',
  'xmcp',
  '@genkit-ai/mcp',
  'use-mcp',
  'mcp-use',
  '@smithery/sdk',
])

/** Keywords that mark a package as an MCP server or client. */
export const MCP_KEYWORDS: ReadonlySet<string> = new Set([
  'mcp',
  'mcp-server',
  'mcp server',
  'model-context-protocol',
  'modelcontextprotocol',
  'model context protocol',
  'mcp-client',
])

/** Scopes whose every package is MCP-related. */
export const MCP_SCOPES: ReadonlySet<string> = new Set(['@modelcontextprotocol'])

/** Commands that run a package straight from the registry, as MCP client configs use them. */
export const PACKAGE_RUNNERS: Record<string, { subcommand?: string; valueFlags: string[] }> = {
  npx: { valueFlags: ['-p', '--package', '-c', '--call', '--registry', '--cache'] },
  bunx: { valueFlags: ['-p', '--package', '--registry'] },
  pnpx: { valueFlags: ['--package', '--registry'] },
  pnpm: { subcommand: 'dlx', valueFlags: ['--package', '--registry'] },
  yarn: { subcommand: 'dlx', valueFlags: ['-p', '--package'] },
  npm: { subcommand: 'exec', valueFlags: ['-p', '--package', '-c', '--call', '--registry'] },
}

/** Known MCP client config files (path suffixes), with the key that holds servers. */
export const MCP_CONFIG_FILES: ReadonlyArray<{ suffix: string; key: 'mcpServers' | 'servers' }> = [
  { suffix: '.mcp.json', key: 'mcpServers' }, // Claude Code (project scope)
  { suffix: '.cursor/mcp.json', key: 'mcpServers' }, // Cursor
  { suffix: '.vscode/mcp.json', key: 'servers' }, // VS Code
  { suffix: 'claude_desktop_config.json', key: 'mcpServers' }, // Claude Desktop
  { suffix: '.gemini/settings.json', key: 'mcpServers' }, // Gemini CLI
  { suffix: '.windsurf/mcp.json', key: 'mcpServers' }, // Windsurf
  { suffix: '.codeium/windsurf/mcp_config.json', key: 'mcpServers' },
  { suffix: '.roo/mcp.json', key: 'mcpServers' }, // Roo Code
  { suffix: '.kiro/settings/mcp.json', key: 'mcpServers' }, // Kiro
  { suffix: '.amazonq/mcp.json', key: 'mcpServers' }, // Amazon Q Developer
  { suffix: 'mcp.json', key: 'mcpServers' }, // generic, same shape
]
