/**
 * The shape of the platform's settings, which every layer reads (`app.config`);
 * src/server/config.ts reads them from the environment.
 */

/** The regulation profiles a deployment may pick; the profiles module holds each one's rules. */
export type ProfileId = 'customs-2019' | 'city-2016' | 'huizhou-2023' | 'lingang-2024';

/** The platform's settings, parsed once from the environment and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /**
   * Root of everything gongshu writes locally: embedded PostgreSQL under `pg/`, files under
   * `files/`.
   */
  readonly dataDir: string;
  /**
   * Whether GONGSHU_DATA_DIR chose the data directory. Only the default one may have its embedded
   * cluster moved out of a private folder when running as root (src/db/embedded.ts).
   */
  readonly dataDirChosen: boolean;
  /** External PostgreSQL server; when absent gongshu starts its own embedded one. */
  readonly databaseUrl: string | undefined;
  /**
   * Connections for requests. Few connections kept busy serve more than many taking turns on the
   * server's cores; the default is two per core of this machine, at least four.
   */
  readonly databasePoolSize: number;
  /**
   * Connections for long-running work (loads, exports, ledger verification), apart from requests.
   */
  readonly databaseStreamPoolSize: number;
  /**
   * How long a read waits for a lock before it answers 503 RESOURCE_BUSY (0: as long as it takes).
   * Only a resource's first load and schema changes lock readers out of a table.
   */
  readonly readLockTimeoutMs: number;
  /**
   * How long one statement of a request may run before PostgreSQL cancels it and the request
   * answers 503 QUERY_TIMEOUT (0: no limit). Loads, exports and ledger verification run without.
   */
  readonly statementTimeoutMs: number;
  /**
   * Largest upload one batch takes (streamed, so memory stays flat whatever it is); larger ones
   * answer 413 and load nothing. Other request bodies are held in memory and capped at 10 MB.
   */
  readonly uploadLimitBytes: number;
  /**
   * Connections one export of a large channel reads with side by side (from the stream pool, when
   * free).
   */
  readonly exportWorkers: number;
  readonly demo: boolean;
  readonly demoPassword: string;
  readonly profile: ProfileId;
  /** `gm` selects SM3/SM4 (国密); `standard` selects SHA-256/AES-256-GCM. */
  readonly crypto: 'gm' | 'standard';
  /** A session unused for this long ends (ASVS 7.3.1). */
  readonly sessionIdleMinutes: number;
  /**
   * A session ends this long after sign-in however much it is used, so a stolen cookie is not
   * renewed for ever (ASVS 7.3.2); the cookie expires then too.
   */
  readonly sessionMaxHours: number;
  /** Sign-in attempts allowed per client address per minute, across all instances. */
  readonly loginRateLimit: number;
  /**
   * 核验 answers allowed per channel per minute, across all instances: each is a yes/no about
   * values the consumer may not read, so guessing them must stay slow (and is audited).
   */
  readonly verifyRateLimit: number;
  /**
   * Requests allowed per signed-in user or API client per minute, across all instances (0: no
   * limit).
   */
  readonly requestRateLimit: number;
  readonly deploymentName: string;
  readonly logLevel: string;
  readonly trustProxy: boolean;
  readonly secureCookies: boolean;
  /** Where the built portal lives; served at `/` when present. */
  readonly webDir: string;
}
