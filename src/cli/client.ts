/** Talks to a gongshu server's HTTP API on behalf of a command; never to the database. */
export interface ClientOptions {
  url?: string;
  key?: string;
}

export class ApiClient {
  readonly base: string;
  private readonly key: string | undefined;

  constructor(opts: ClientOptions, env: Record<string, string | undefined> = process.env) {
    this.base = (opts.url ?? env.GONGSHU_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
    this.key = opts.key ?? env.GONGSHU_KEY;
    if (!this.key) throw new CliError('no API key: pass --key or set GONGSHU_KEY');
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.key}`, ...extra };
  }

  /** GETs a JSON document; an API error becomes a CliError carrying its code and message. */
  async getJson<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        headers: this.headers({ accept: 'application/json' }),
      });
    } catch (err) {
      throw new CliError(
        `cannot reach ${this.base}: ${(err as Error).cause ?? (err as Error).message}`,
      );
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw CliError.fromResponse(res.status, body);
    return body as T;
  }
}

/** A failure the command reports in one line and turns into a non-zero exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
  static fromResponse(
    status: number,
    body: { error?: { code?: string; message?: string; details?: unknown } },
  ): CliError {
    const e = body.error;
    return new CliError(
      `server answered ${status}${e ? ` ${e.code}: ${e.message}${e.details && Object.keys(e.details).length ? ` ${JSON.stringify(e.details)}` : ''}` : ''}`,
    );
  }
}
