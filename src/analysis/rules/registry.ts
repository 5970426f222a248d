// Every rule, imported explicitly. Metadata is validated when the registry is
// built, so a bad rule fails the test suite, not a user's run.
import { RuleMetaSchema } from '../../schemas.js'
import type { Rule } from './types.js'
import { rule as emailHardcodedRecipient } from './email/threat-email-hardcoded-recipient.js'
import { rule as execChildProcess } from './exec/cap-exec-child-process.js'
import { rule as execDropperCommand } from './exec/threat-exec-dropper-command.js'
import { rule as execDynamicCode } from './exec/cap-exec-dynamic-code.js'
import { rule as execNewCommand } from './exec/cap-exec-new-command.js'
import { rule as execPersistenceWrite } from './exec/threat-exec-persistence-write.js'
import { rule as execRemoteCode } from './exec/threat-exec-remote-code.js'
import { rule as installLifecycleScript } from './install/threat-install-lifecycle-script.js'
import { rule as integrityGlobalHook } from './integrity/threat-integrity-global-hook.js'
import { rule as integrityUnsafeArchiveEntry } from './integrity/threat-integrity-unsafe-archive-entry.js'
import { rule as mcpToolAdded } from './mcp-tools/cap-mcp-tool-added.js'
import { rule as mcpToolDescriptionChanged } from './mcp-tools/cap-mcp-tool-description-changed.js'
import { rule as mcpToolPoisoning } from './mcp-tools/threat-mcp-tool-poisoning.js'
import { rule as mcpToolRemoved } from './mcp-tools/cap-mcp-tool-removed.js'
import { rule as metadataAttestationMismatch } from './metadata/threat-metadata-attestation-mismatch.js'
import { rule as metadataDeprecated } from './metadata/threat-metadata-deprecated.js'
import { rule as metadataNewBin } from './metadata/cap-metadata-new-bin.js'
import { rule as metadataProvenanceLost } from './metadata/threat-metadata-provenance-lost.js'
import { rule as metadataPublisherChanged } from './metadata/threat-metadata-publisher-changed.js'
import { rule as metadataRecentDependency } from './metadata/threat-metadata-recent-dependency.js'
import { rule as metadataRecentRelease } from './metadata/threat-metadata-recent-release.js'
import { rule as metadataRepositoryChanged } from './metadata/threat-metadata-repository-changed.js'
import { rule as metadataUncheckedDependency } from './metadata/cap-metadata-unchecked-dependency.js'
import { rule as metadataUrlDependency } from './metadata/threat-metadata-url-dependency.js'
import { rule as metadataVersionJump } from './metadata/threat-metadata-version-jump.js'
import { rule as networkDataExfiltration } from './network/threat-network-data-exfiltration.js'
import { rule as networkLookalikeHost } from './network/threat-network-lookalike-host.js'
import { rule as networkNewHost } from './network/cap-network-new-host.js'
import { rule as networkNewModule } from './network/cap-network-new-module.js'
import { rule as networkSuspiciousHost } from './network/threat-network-suspicious-host.js'
import { rule as obfuscationInvisibleUnicode } from './obfuscation/threat-obfuscation-invisible-unicode.js'
import { rule as obfuscationObfuscatedCode } from './obfuscation/threat-obfuscation-obfuscated-code.js'
import { rule as obfuscationUnparsedFile } from './obfuscation/cap-obfuscation-unparsed-file.js'
import { rule as secretsCredentialFile } from './secrets/threat-secrets-credential-file.js'
import { rule as secretsEnvDump } from './secrets/threat-secrets-env-dump.js'
import { rule as secretsEnvSecret } from './secrets/cap-secrets-env-secret.js'

const ALL: Rule[] = [
  emailHardcodedRecipient,
  networkSuspiciousHost,
  networkNewHost,
  networkNewModule,
  execChildProcess,
  execDynamicCode,
  installLifecycleScript,
  secretsEnvDump,
  secretsCredentialFile,
  integrityUnsafeArchiveEntry,
  networkDataExfiltration,
  networkLookalikeHost,
  execRemoteCode,
  execDropperCommand,
  execPersistenceWrite,
  execNewCommand,
  secretsEnvSecret,
  integrityGlobalHook,
  obfuscationInvisibleUnicode,
  obfuscationObfuscatedCode,
  obfuscationUnparsedFile,
  mcpToolPoisoning,
  mcpToolAdded,
  mcpToolRemoved,
  mcpToolDescriptionChanged,
  metadataProvenanceLost,
  metadataAttestationMismatch,
  metadataPublisherChanged,
  metadataUrlDependency,
  metadataRecentRelease,
  metadataRecentDependency,
  metadataUncheckedDependency,
  metadataRepositoryChanged,
  metadataVersionJump,
  metadataNewBin,
  metadataDeprecated,
]

const validated = new WeakSet<Rule[]>()

/** The rules, their metadata validated once per list (every review calls this). */
export function loadRules(rules: Rule[] = ALL): Rule[] {
  if (validated.has(rules)) return rules
  const seen = new Set<string>()
  for (const rule of rules) {
    RuleMetaSchema.parse(rule.meta)
    if (seen.has(rule.meta.id)) throw new Error(`duplicate rule id ${rule.meta.id}`)
    seen.add(rule.meta.id)
  }
  validated.add(rules)
  return rules
}
