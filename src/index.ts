// The action's entry (dist/index.js): calls run(), nothing else.
import { run } from './main.js'

await run()
