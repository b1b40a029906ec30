import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announce, Notices } from '../src/db/notices.js';
import { createDb, type Db } from '../src/db/pool.js';
import { createTestDatabase } from './helpers.js';

/**
 * A TCP relay to the database whose open connections can be made to fall silent — bytes stop
 * flowing both ways, nothing is closed or reset — as when a network path between an instance and
 * the database dies. Connections made afterwards pass.
 */
function relay(target: URL) {
  const open: net.Socket[] = [];
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('error', () => undefined);
    outbound.on('error', () => undefined);
    open.push(inbound, outbound);
  });
  return {
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
      ),
    silence: () =>
      open.splice(0).forEach((s) => {
        s.unpipe();
        s.pause();
      }),
    close: () => {
      for (const s of open) s.destroy();
      server.close();
    },
  };
}

describe('announcements between instances', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, 2);
  });
  afterAll(async () => {
    await db.end();
    await database.drop();
  });

  it('notices a connection that falls silent, tells the caches to forget everything, and hears announcements again', async () => {
    const url = new URL(database.url);
    if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
    const path = relay(url);
    const relayed = new URL(url);
    relayed.port = String(await path.listen());
    const notices = await Notices.start(relayed.toString(), { checkEveryMs: 200 });
    const heard: (string | undefined)[] = [];
    notices.on('gongshu_channel', (id) => heard.push(id));
    try {
      await announce(db, 'gongshu_channel', 'before');
      await expect.poll(() => heard).toEqual(['before']);

      path.silence(); // no error, no close: only the missing answers tell
      await expect.poll(() => heard, { timeout: 3_000 }).toContain(undefined);

      // reconnected through the relay (new connections pass): announcements are heard again
      await expect
        .poll(
          async () => {
            await announce(db, 'gongshu_channel', 'after');
            return heard.includes('after');
          },
          { timeout: 5_000, interval: 300 },
        )
        .toBe(true);
    } finally {
      await notices.close();
      path.close();
    }
  });
});
