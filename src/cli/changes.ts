import type { Command } from 'commander';
import { ApiClient, CliError } from './client.js';

/** Changes asked for per request; a full page means more are waiting. */
const PAGE_SIZE = 1000;
/** Longest wait setTimeout honours (ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface ChangePage {
  items: { cursor: string; op: string; at: string; values: Record<string, unknown> }[];
  nextCursor: string;
}

/**
 * `gongshu changes --channel <id>`: the channel's change feed as NDJSON on stdout, from a cursor,
 * page by page until caught up; with --follow it keeps polling. The last cursor goes to stderr
 * (and to --cursor-file), so the next run resumes where this one stopped.
 */
export function registerChanges(program: Command): void {
  program
    .command('changes')
    .description(
      'print the changes of a share channel (共享通道) since a cursor, one JSON line each, masked as the channel grants',
    )
    .requiredOption('--channel <id>', 'channel id')
    .option(
      '--since <cursor>',
      'start after this cursor (default: 0, or the cursor in --cursor-file)',
    )
    .option(
      '--cursor-file <path>',
      'read the start cursor from this file and write the last one back to it',
    )
    .option('--follow', 'keep polling for new changes')
    .option('--interval <seconds>', 'polling interval with --follow', '10')
    .option('--url <url>', 'server address (default: $GONGSHU_URL or http://localhost:8080)')
    .option('--key <key>', "API key of the consumer body's client (default: $GONGSHU_KEY)")
    .action(
      async (opts: {
        channel: string;
        since?: string;
        cursorFile?: string;
        follow?: boolean;
        interval: string;
        url?: string;
        key?: string;
      }) => {
        const fs = await import('node:fs');
        const api = new ApiClient(opts);
        if (!/^[0-9a-f-]{36}$/i.test(opts.channel))
          throw new CliError('--channel must be a channel id (uuid)');
        let cursor =
          opts.since ??
          (opts.cursorFile && fs.existsSync(opts.cursorFile)
            ? fs.readFileSync(opts.cursorFile, 'utf8').trim()
            : '0');
        if (!/^\d+$/.test(cursor)) throw new CliError(`not a cursor: ${cursor}`);
        const intervalMs = Number(opts.interval) * 1000;
        if (!(intervalMs > 0 && intervalMs <= MAX_TIMER_MS))
          throw new CliError(
            `--interval must be a number of seconds above 0 and at most ${Math.floor(MAX_TIMER_MS / 1000)}, not ${opts.interval}`,
          );
        let total = 0;
        for (;;) {
          const page = await api.getJson<ChangePage>(
            `/api/v1/channels/${opts.channel}/changes?since=${cursor}&limit=${PAGE_SIZE}`,
          );
          for (const change of page.items) process.stdout.write(`${JSON.stringify(change)}\n`);
          total += page.items.length;
          cursor = page.nextCursor;
          if (opts.cursorFile) fs.writeFileSync(opts.cursorFile, cursor);
          if (page.items.length === PAGE_SIZE) continue;
          if (!opts.follow) break;
          await new Promise((r) => setTimeout(r, intervalMs));
        }
        process.stderr.write(`gongshu: ${total} change(s); last cursor ${cursor}\n`);
      },
    );
}
