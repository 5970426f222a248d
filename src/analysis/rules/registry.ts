// Every rule, imported explicitly. Metadata is validated when the registry is
// built, so a bad rule fails the test suite, not a user's run.
import { RuleMetaSchema } from '../../schemas.js'
import type { Rule } from './types.js'
import { rule as emailHardcodedRecipient } from './email/threat-email-hardcoded-recipient.js'
import { rule as execChildProcess } from './exec/cap-exec-child-process.js'
import { rule as execDynamicCode } from './exec/cap-exec-dynamic-code.js'
import { rule as installLifecycleScript } from './install/threat-install-lifecycle-script.js'
import { rule as integrityUnsafeArchiveEntry } from './integrity/threat-integrity-unsafe-archive-entry.js'
import { rule as networkNewHost } from './network/cap-network-new-host.js'
import { rule as networkNewModule } from './network/cap-network-new-module.js'
import { rule as networkSuspiciousHost } from './network/threat-network-suspicious-host.js'
import { rule as secretsCredentialFile } from './secrets/threat-secrets-credential-file.js'
import { rule as secretsEnvDump } from './secrets/threat-secrets-env-dump.js'

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
]

export function loadRules(rules: Rule[] = ALL): Rule[] {
  const seen = new Set<string>()
  for (const rule of rules) {
    RuleMetaSchema.parse(rule.meta)
    if (seen.has(rule.meta.id)) throw new Error(`duplicate rule id ${rule.meta.id}`)
    seen.add(rule.meta.id)
  }
  return rules
}
