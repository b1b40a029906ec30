import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_PASSWORD, type TestContext } from './helpers.js';
import { person, publishedResource, sharingCast } from './factories/sharing.js';

// Everything the app logs, at its most talkative, as the lines a log shipper would receive.
let written = '';
const stream = {
  write(s: string) {
    written += s;
  },
};

let ctx: TestContext;
let cast: Awaited<ReturnType<typeof sharingCast>>;
const rows = Array.from({ length: 6 }, (_, i) => person(i + 1));

beforeAll(async () => {
  ctx = await buildTestApp({}, { level: 'trace', stream });
  cast = await sharingCast(ctx);
  await publishedResource(ctx, cast, { shareType: 'unconditional', rows });
});
afterAll(() => ctx.close());

/**
 * A value meant to break a log line: CR/LF, ANSI colour and cursor escapes, the characters that
 * end a JSON string or object, and the Unicode line and paragraph separators and NEL, which some
 * readers (Python's splitlines, JavaScript source) take for line ends, and the 8-bit CSI.
 */
const HOSTILE =
  'x\r\n{"level":60,"msg":"forged"}\u001b[2J\u001b[31m"\\}{\u2028\u2029\u0085\u009b1m';
/** What may travel in an HTTP header (no CR/LF, no characters past U+00FF). */
const HOSTILE_HEADER = 'x\u001b[2J\u001b[31m"\\}{\u0085\u009b1m {"level":60}';

/**
 * Every character some reader takes for the end of a line (Python's str.splitlines takes all of
 * these).
 */
const LINE_ENDS = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]);
const lineEnd = (ch: string) => LINE_ENDS.has(ch.codePointAt(0)!);
/** A C0 or C1 control character other than LF, DEL included: what a terminal acts upon. */
const control = (ch: string) => {
  const c = ch.codePointAt(0)!;
  return (c < 0x20 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f);
};

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('the log', () => {
  it('stays one JSON object a line, and holds no password, session, API key or personal value', async () => {
    const api = (
      method: string,
      url: string,
      headers: Record<string, string> = {},
      payload?: object,
    ) => ctx.app.inject({ method: method as 'GET', url, headers, payload });
    const secrets: string[] = [TEST_PASSWORD];
    const hostileHeaders = {
      'user-agent': HOSTILE_HEADER,
      'x-request-id': HOSTILE_HEADER,
      'accept-version': HOSTILE_HEADER,
      referer: HOSTILE_HEADER,
    };

    // sign in with a password, with hostile headers
    const signIn = await api('POST', '/api/v1/auth/login', hostileHeaders, {
      username: cast.users.consumer.username,
      password: TEST_PASSWORD,
    });
    expect(signIn.statusCode).toBe(200);
    const token = signIn.cookies.find((c) => c.name === 'gongshu_session')!.value;
    secrets.push(token);
    const cookie = `gongshu_session=${token}`;
    for (const c of Object.values(cast.cookies)) secrets.push(c.split('=')[1]);

    // a failed sign-in: a wrong password, a hostile username
    const wrongPassword = 'Wrong-pass-4711';
    secrets.push(wrongPassword);
    expect(
      (
        await api('POST', '/api/v1/auth/login', hostileHeaders, {
          username: HOSTILE,
          password: wrongPassword,
        })
      ).statusCode,
    ).toBe(401);

    // a channel opened and read, by session and by API key
    const request = await api(
      'POST',
      '/api/v1/share-requests',
      { cookie },
      {
        resourceId: (await ctx.db.query(`SELECT id FROM resources LIMIT 1`)).rows[0].id,
        fields: ['id_number', 'name', 'mobile', 'address', 'district', 'bank_card', 'birth_date'],
        purpose: '核定税额',
        scenario: '个税汇算',
        legalBasis: '《税收征收管理法》',
        until: '2099-12-31',
        delivery: 'api',
      },
    );
    expect(request.statusCode, request.body).toBe(201);
    await api(
      'POST',
      `/api/v1/share-requests/${request.json().id}/decisions`,
      {
        cookie: cast.cookies.admin,
      },
      { decision: 'approve' },
    );
    const channel = (
      await api(
        'POST',
        `/api/v1/share-requests/${request.json().id}/agreement`,
        { cookie },
        {
          accept: true,
        },
      )
    ).json().channelId;
    const client = await api(
      'POST',
      `/api/v1/orgs/${cast.consumer.id}/clients`,
      {
        cookie: cast.cookies.admin,
      },
      { name: '税务系统', roles: ['consumer'] },
    );
    const key: string = client.json().key;
    secrets.push(key, key.split('_').at(-1)!);

    // reads filtered by a personal field the channel shows (birth date), by session and by key
    const read = await api(
      'GET',
      `/api/v1/channels/${channel}/records?birth_date=${rows[0].birth_date}&limit=5`,
      { cookie, ...hostileHeaders },
    );
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().items[0].id_number).not.toBe(rows[0].id_number); // masked
    const byKey = await api(
      'GET',
      `/api/v1/channels/${channel}/records?birth_date=${rows[1].birth_date}`,
      { authorization: `Bearer ${key}`, ...hostileHeaders },
    );
    expect(byKey.statusCode, byKey.body).toBe(200);
    // 核验 of a whole 身份证 and mobile number
    expect(
      (
        await api(
          'POST',
          `/api/v1/channels/${channel}/verify`,
          { cookie },
          {
            match: { id_number: rows[2].id_number, mobile: rows[2].mobile },
          },
        )
      ).statusCode,
    ).toBe(200);
    // reads filtered by masked fields, refused, their whole values in the URL
    for (const query of [`id_number=${rows[3].id_number}`, `mobile=${rows[3].mobile}`]) {
      const refused = await api('GET', `/api/v1/channels/${channel}/records?${query}`, {
        authorization: `Bearer ${key}`,
      });
      expect(refused.json().error.code).toBe('SHARE_SCOPE_EXCEEDED');
    }

    // bad requests, with hostile values in the path, the query and the body
    expect(
      (await api('GET', `/api/v1/users?q=${encodeURIComponent(HOSTILE)}`, { cookie })).statusCode,
    ).toBe(403);
    expect(
      (
        await api(
          'GET',
          `/api/v1/channels/${channel}/records?limit=${encodeURIComponent(HOSTILE)}`,
          { cookie, ...hostileHeaders },
        )
      ).statusCode,
    ).toBe(400);
    expect(
      (await api('GET', `/api/v1/${encodeURIComponent(HOSTILE)}`, hostileHeaders)).statusCode,
    ).toBe(404);
    expect(
      (
        await api('POST', '/api/v1/auth/login', hostileHeaders, {
          username: 'x',
          password: wrongPassword,
          [HOSTILE]: HOSTILE,
        })
      ).statusCode,
    ).toBe(400);

    // a NUL byte after a whole ID number, refused before any handler
    expect(
      (
        await api('GET', `/api/v1/channels/${channel}/records?id_number=${rows[4].id_number}%00`, {
          cookie,
        })
      ).statusCode,
    ).toBe(400);
    // over a real socket, bytes past ASCII in the Host (logged with every request) and User-Agent
    // headers, read as Latin-1: the UTF-8 of U+2028 arrives as "\u00e2\u0080\u00a8", a C1
    // control among them (Node refuses them, and C0 controls, in the request line)
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(address).port), '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => {
        answer += d.toString('latin1');
      });
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
      socket.write(
        Buffer.concat([
          Buffer.from(`GET /api/v1/channels/${channel}/records?birth_date=${rows[5].birth_date} `),
          Buffer.from('HTTP/1.1\r\nHost: x\u2028\u0085\u009b2J\r\n', 'utf8'),
          Buffer.from(`Cookie: ${cookie}\r\nUser-Agent: `),
          Buffer.from('\u2028\u0085\u009b2J "}{\\', 'utf8'),
          Buffer.from('\r\nConnection: close\r\n\r\n'),
        ]),
      );
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200/);

    // a change of one's own password, then sign-out
    const newPassword = 'Fresh-pass-2027';
    secrets.push(newPassword);
    const changed = await api(
      'POST',
      '/api/v1/auth/password',
      { cookie },
      {
        currentPassword: TEST_PASSWORD,
        newPassword,
      },
    );
    expect(changed.statusCode).toBe(204);
    const renewed = changed.cookies.find((c) => c.name === 'gongshu_session')!.value;
    secrets.push(renewed);
    expect(
      (await api('POST', '/api/v1/auth/logout', { cookie: `gongshu_session=${renewed}` }))
        .statusCode,
    ).toBe(204);

    // every personal value of the rows, whole, as the pool holds them
    for (const r of rows) secrets.push(r.id_number, r.mobile, r.address, r.bank_card, r.birth_date);

    // ---- the log
    expect(written.endsWith('\n')).toBe(true);
    const lines = [''];
    for (const ch of written.slice(0, -1)) {
      if (lineEnd(ch)) lines.push('');
      else lines[lines.length - 1] += ch;
    }
    expect(lines.length).toBeGreaterThan(40);
    const entries = lines.map((line, i) => {
      try {
        const parsed = JSON.parse(line);
        if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
      } catch {}
      throw new Error(`log line ${i + 1} is not one JSON object: ${JSON.stringify(line)}`);
    });
    // the hostile request made it into the log, escaped
    expect(entries.some((e) => strings(e).some((s) => s.includes('{"level":60')))).toBe(true);
    // no terminal control character travels raw: a `tail -f` of the log cannot be repainted
    expect([...written].filter(control)).toEqual([]);
    for (const secret of secrets) {
      expect(written, 'raw log').not.toContain(secret);
      for (const e of entries) for (const s of strings(e)) expect(s).not.toContain(secret);
    }
  });
});
