import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** postgres://… for a server; undefined runs the embedded PGlite. */
  databaseUrl?: string;
  /** Folder of the embedded database and other local data; 'memory://' keeps PGlite in memory (tests). */
  dataDir: string;
  adminPassword?: string;
  /** WUSHE_DATA_KEY: 32-byte key for field encryption; without it one is generated into the data folder. */
  dataKey?: string;
  /** Built console to serve, if present. */
  webDist?: string;
  sessionIdleMinutes: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  loginRateLimitPerMinute: number;
  /** WUSHE_PUBLIC_RATE_LIMIT: requests per minute and address to the public forms (the online help request). */
  publicRateLimitPerMinute: number;
  secureCookies: boolean;
  /** WUSHE_IMPORT_STALE_SECONDS: a background import whose server wrote no heartbeat for this long is interrupted. */
  importStaleSeconds: number;
  /** /api/events: a comment line this often keeps proxies from closing an idle stream. */
  eventsHeartbeatSeconds: number;
  /** /api/events: how often an open stream re-checks its session (signed out, expired, role or unit changed). */
  eventsSessionCheckSeconds: number;
  logLevel: string;
  version: string;
}

export const VERSION = '0.1.0';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const root = path.resolve(import.meta.dirname, '../../../..');
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.WUSHE_DATA_DIR ?? path.join(root, 'data'),
    adminPassword: env.WUSHE_ADMIN_PASSWORD || undefined,
    dataKey: env.WUSHE_DATA_KEY || undefined,
    webDist: path.join(root, 'apps/web/dist'),
    sessionIdleMinutes: Number(env.WUSHE_SESSION_IDLE_MINUTES ?? 30),
    lockoutAttempts: 5,
    lockoutMinutes: 15,
    loginRateLimitPerMinute: Number(env.WUSHE_LOGIN_RATE_LIMIT ?? 20),
    publicRateLimitPerMinute: Number(env.WUSHE_PUBLIC_RATE_LIMIT ?? 10),
    secureCookies: env.WUSHE_SECURE_COOKIES === 'true',
    importStaleSeconds: Number(env.WUSHE_IMPORT_STALE_SECONDS ?? 60),
    eventsHeartbeatSeconds: 25,
    eventsSessionCheckSeconds: 20,
    logLevel: env.LOG_LEVEL ?? 'info',
    version: VERSION,
    ...overrides,
  };
}
