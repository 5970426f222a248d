// The CLI's entry (dist/cli.js, the `mcp-diff-review` bin): runs the CLI, nothing else.
import { runCli } from './cli-main.js'

process.exitCode = await runCli(process.argv.slice(2))
