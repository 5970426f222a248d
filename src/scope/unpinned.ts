// The finding for an MCP server started from an unpinned spec in a client config.
import type { Finding, RuleMeta } from '../schemas.js'
import type { ServerPin } from './mcp-configs.js'

export const UNPINNED_RULE: RuleMeta = {
  id: 'threat-install-unpinned-mcp-server',
  category: 'install',
  severity: 'medium',
  title: 'MCP server started from an unpinned version',
  why: 'A config that runs `npx -y pkg` or `pkg@latest` silently runs whatever version is published next, including a malicious one, with no pull request to review.',
  remediation: 'Pin the exact version (`pkg@1.2.3`) and update it through reviewed pull requests.',
}

export function unpinnedFinding(pin: ServerPin): Finding {
  return {
    ruleId: UNPINNED_RULE.id,
    category: UNPINNED_RULE.category,
    severity: UNPINNED_RULE.severity,
    file: pin.config,
    line: pin.line,
    message: `Server "${pin.server}" runs ${pin.spec}, which is not pinned to a version.`,
    evidence: pin.spec,
    repositoryFile: true,
    subject: `${pin.server}:${pin.spec}`,
    why: UNPINNED_RULE.why,
  }
}
