import { Command } from 'commander';
import { CliError } from './client.js';
import { registerAudit } from './audit.js';
import { registerPush } from './push.js';
import { registerChanges } from './changes.js';

/** The `gongshu` command line: for bodies' front-end processors, operators and auditors. */
const program = new Command()
  .name('gongshu')
  .description('gongshu (公数) command line — works over the HTTP API with an API key')
  .showHelpAfterError();

registerAudit(program);
registerPush(program);
registerChanges(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`gongshu: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = err instanceof CliError ? err.exitCode : 1;
});
