import type { Command } from 'commander';
import { ApiClient } from './client.js';

interface VerifyResult {
  ok: boolean;
  entries: number;
  firstBadEntry?: { seq: number; reason: string; at?: string; action?: string };
}

/**
 * `gongshu audit verify`: asks the server to recompute the ledger's hash chain. Exit 0 only when it
 * holds.
 */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit ledger (审计)');
  audit
    .command('verify')
    .description(
      'recompute the hash chain of the audit ledger and name the first entry that no longer matches',
    )
    .option('--url <url>', 'server address (default: $GONGSHU_URL or http://localhost:8080)')
    .option('--key <key>', 'API key of an auditor or platform admin client (default: $GONGSHU_KEY)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { url?: string; key?: string; json?: boolean }) => {
      const api = new ApiClient(opts);
      const result = await api.getJson<VerifyResult>('/api/v1/audit/verify');
      if (opts.json) console.log(JSON.stringify(result));
      else if (result.ok) console.log(`audit ledger intact: ${result.entries} entries verified`);
      else {
        const b = result.firstBadEntry!;
        console.log(
          `audit ledger BROKEN at entry #${b.seq} (${b.reason})${b.action ? `: ${b.action}` : ''}${b.at ? ` at ${b.at}` : ''}; ${result.entries} entries before it verified`,
        );
      }
      process.exitCode = result.ok ? 0 : 2;
    });
}
