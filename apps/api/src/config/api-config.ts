import { hostname } from 'node:os';
import { DEFAULT_COMPLIANCE_RULES, DEFAULT_FIX_QUALITY_POLICY, type ComplianceRules, type FixQualityPolicy } from '@muckwatch/domain';
import { REPLAY_LIMITS, type BaseMap, type TileSource } from '@muckwatch/contracts';
import { readFileSync } from 'node:fs';

/** Everything the API reads from its environment, validated once at boot (style.md 6). */
export interface ApiConfig {
  /**
   * This instance's name among several on one database (INSTANCE_ID; default the host name): in
   * health, and in its MQTT subscriber client ids, which must differ between instances and stay
   * the same across an instance's restarts (the broker keeps its persistent session for it).
   */
  instanceId: string;
  /**
   * The instances that make one system (CLUSTER_NAME; default `muckwatch`): they share the cluster
   * bus's channel and the compliance partitions' leases. Only instances of one database meet.
   */
  clusterName: string;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: (
    | {
        kind: 'external';
        /** What the API's pools connect with. */
        url: string;
        /**
         * DATABASE_OWNER_URL: the role that owns the schema and runs the migrations; the API then
         * runs as `muckwatch_app` (url), which owns neither the audit log nor the frozen rankings
         * (database/app-role.ts). Null: one role does both.
         */
        ownerUrl: string | null;
      }
    | { kind: 'embedded'; dataDir: string; port: number }
  ) & {
    /**
     * Connections of the API's pool. The embedded PGlite is one session behind a socket
     * multiplexer: one connection there avoids interleaving requests (see embedded-postgres.ts).
     */
    poolSize: number;
  };
  broker:
    | {
        kind: 'external';
        url: string;
        username?: string;
        password?: string;
        /** Mosquitto dynamic-security admin: terminals' credentials are provisioned through it. */
        dynsec: { username: string; password: string } | null;
      }
    | { kind: 'embedded'; host: string; port: number; /** Terminals need their credentials (default). */ authenticate: boolean };
  ingest: {
    /** Subscriber connections. */
    connections: number;
    /** Messages each connection holds unacknowledged while they commit (≤ the broker's in-flight limit). */
    inflightPerConnection: number;
    /** Use a `$share/<group>/` subscription (Mosquitto, EMQX); the embedded Aedes has none. */
    sharedSubscription: boolean;
    shareGroup: string;
    /** Prefix of the ingest's persistent MQTT client ids: `<prefix>-<n>`. */
    clientIdPrefix: string;
    /** Health says `degraded` when a message has waited this long for its commit, whatever the cause. */
    stallSeconds: number;
    /** Most fixes written in one commit. */
    maxBatchFixes: number;
    quality: FixQualityPolicy;
  };
  /**
   * The JT/T 808 door (apps/api/src/jt808): a TCP listener for terminals speaking JT/T 808-2013 or
   * -2019; null when JT808_PORT=off.
   */
  jt808: {
    host: string;
    /** 0: any free port (tests). */
    port: number;
    maxConnections: number;
    framesPerSecond: number;
    authTimeoutSeconds: number;
    idleTimeoutSeconds: number;
  } | null;
  retentionMonths: number;
  /** Month close of the ranking (rankings/month-close.job.ts) runs this often, and at boot; 0 turns it off. */
  monthCloseMinutes: number;
  /**
   * Track replay's stored overviews (replay/replay-overview.job.ts): every `minutes` (and at boot)
   * the closed office days of the last `days` not yet stored are computed and stored at each of
   * `zooms`; minutes 0 turns the job off (a replay then stores a day when it first computes it).
   */
  replayOverviews: { minutes: number; days: number; zooms: number[] };
  live: { batchMs: number; offlineAfterSeconds: number };
  /** The compliance engine's clock: `tick` (offline trucks, abandoned trips) runs this often. */
  compliance: { tickMs: number; rules: ComplianceRules };
  /**
   * Remote control (apps/api/src/commands/): how long one attempt waits for the terminal's answer,
   * how many attempts before `timed_out`, a command's default lifetime, and how often the delivery
   * loop looks for due work (retries, expiry, terminals back online on another instance).
   */
  commands: { timeoutMs: number; attempts: number; expiryMs: number; sweepMs: number };
  /** Base maps the console switches between, the default first; empty: no base map. */
  baseMaps: BaseMap[];
  /** Seed the demo registry (towns, companies, trucks, sites) when the registry is empty. */
  seedDemo: boolean;
  /** Folder of the built web console to serve at `/`, or null. */
  webDist: string | null;
  auth: AuthConfig;
  http: HttpConfig;
  /** `/metrics` answers only `Authorization: Bearer <token>` when a token is set (METRICS_TOKEN). */
  metrics: { token: string | null };
}

export interface AuthConfig {
  /** HMAC key of access tokens; random per start when unset (sessions survive through refresh). */
  jwtSecret: string | null;
  accessTokenSeconds: number;
  refreshTokenHours: number;
  /** Consecutive failed logins before an account is locked. */
  maxFailedLogins: number;
  lockoutMinutes: number;
  /** First admin, created at start when no user of that name exists. */
  firstAdmin: { username: string; password: string } | null;
  /** Seed the documented demo accounts (one per role); only with SEED_DEMO. */
  seedDemoAccounts: boolean;
  /**
   * Send the refresh cookie with `Secure` (only over HTTPS). On by default: only the demo and the
   * tests, which serve plain http on the loopback, turn it off, explicitly.
   */
  secureCookies: boolean;
}

export interface HttpConfig {
  /** Origins allowed by CORS; empty: same origin only. */
  corsOrigins: string[];
  /** Express `trust proxy`: hops of reverse proxies whose X-Forwarded-For is believed. */
  trustProxy: number;
  /** Largest JSON body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Requests per minute per client on login and on expensive queries. */
  loginPerMinute: number;
  expensivePerMinute: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}

/** A comma-separated list of distinct web-map zooms (at most four: each is a day's work again). */
function zoomsVar(env: Env, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const zooms = raw.split(',').map((z) => Number(z.trim()));
  if (zooms.length > 4 || new Set(zooms).size !== zooms.length || zooms.some((z) => !Number.isInteger(z) || z < REPLAY_LIMITS.minZoom || z > REPLAY_LIMITS.maxZoom)) {
    throw new ConfigError(`${name} must list 1–4 distinct zooms from ${REPLAY_LIMITS.minZoom} to ${REPLAY_LIMITS.maxZoom}, comma-separated; got "${raw}"`);
  }
  return zooms;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false; got "${raw}"`);
}

function urlVar(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}; got "${url.protocol}"`);
  }
  return raw;
}

const OSM_TILES: BaseMap = {
  id: 'osm',
  urlTemplate: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '&copy; OpenStreetMap contributors',
  subdomains: [],
  maxZoom: 19,
  overlays: [],
};

/** A 天地图 layer in Web Mercator (CGCS2000 ≈ WGS-84: no conversion needed): vec, cva, img or cia. */
function tianditu(layer: 'vec' | 'cva' | 'img' | 'cia', key: string): TileSource {
  return {
    urlTemplate: `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
    attribution: '&copy; 天地图 GS(2024)0568号',
    subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'],
    maxZoom: 18,
  };
}

/**
 * The base maps: a custom MAP_TILE_URL alone; with TIANDITU_KEY 天地图's vector map with its place
 * names (vec + cva annotation) and its imagery with place names (img + cia); else OpenStreetMap.
 */
export function baseMapsConfig(env: Env): BaseMap[] {
  const template = env['MAP_TILE_URL'];
  if (template === 'none') return [];
  if (template) {
    return [
      {
        id: 'custom',
        urlTemplate: template,
        attribution: env['MAP_TILE_ATTRIBUTION'] ?? '',
        subdomains: (env['MAP_TILE_SUBDOMAINS'] ?? '').split(',').filter(Boolean),
        maxZoom: intVar(env, 'MAP_TILE_MAX_ZOOM', 18, 1, 22),
        overlays: [],
      },
    ];
  }
  const key = env['TIANDITU_KEY'];
  if (key) {
    return [
      { id: 'vector', ...tianditu('vec', key), overlays: [tianditu('cva', key)] },
      { id: 'imagery', ...tianditu('img', key), overlays: [tianditu('cia', key)] },
    ];
  }
  return [OSM_TILES];
}

function authConfig(env: Env, seedDemo: boolean): AuthConfig {
  const jwtSecret = env['AUTH_JWT_SECRET'] || null;
  if (jwtSecret !== null && jwtSecret.length < 32) {
    throw new ConfigError('AUTH_JWT_SECRET must be at least 32 characters');
  }
  const adminUsername = env['ADMIN_USERNAME'] || null;
  const adminPassword = env['ADMIN_PASSWORD'] || null;
  if ((adminUsername === null) !== (adminPassword === null)) {
    throw new ConfigError('ADMIN_USERNAME and ADMIN_PASSWORD are set together or not at all');
  }
  return {
    jwtSecret,
    accessTokenSeconds: intVar(env, 'ACCESS_TOKEN_SECONDS', 900, 30, 86_400),
    refreshTokenHours: intVar(env, 'REFRESH_TOKEN_HOURS', 12, 1, 24 * 30),
    maxFailedLogins: intVar(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
    lockoutMinutes: intVar(env, 'LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    firstAdmin: adminUsername && adminPassword ? { username: adminUsername, password: adminPassword } : null,
    seedDemoAccounts: seedDemo,
    secureCookies: boolVar(env, 'SECURE_COOKIES', true),
  };
}

function brokerConfig(env: Env, mqttUrl: string | undefined): ApiConfig['broker'] {
  if (!mqttUrl) {
    return {
      kind: 'embedded',
      host: env['EMBEDDED_MQTT_HOST'] ?? '127.0.0.1',
      port: intVar(env, 'EMBEDDED_MQTT_PORT', 11883, 0, 65535),
      authenticate: boolVar(env, 'EMBEDDED_MQTT_AUTH', true),
    };
  }
  const username = env['MQTT_USERNAME'] || undefined;
  const password = env['MQTT_PASSWORD'] || undefined;
  if (password !== undefined && username === undefined) throw new ConfigError('MQTT_PASSWORD is set without MQTT_USERNAME');
  const dynsecUser = env['MQTT_DYNSEC_USERNAME'] || undefined;
  const dynsecPassword = env['MQTT_DYNSEC_PASSWORD'] || undefined;
  if ((dynsecUser === undefined) !== (dynsecPassword === undefined)) {
    throw new ConfigError('MQTT_DYNSEC_USERNAME and MQTT_DYNSEC_PASSWORD must be set together');
  }
  if (dynsecUser !== undefined && (username === undefined || password === undefined)) {
    throw new ConfigError('MQTT_DYNSEC_USERNAME needs MQTT_USERNAME and MQTT_PASSWORD: the ingest account the API provisions for itself');
  }
  if (dynsecUser !== undefined && dynsecUser === username) {
    throw new ConfigError('MQTT_DYNSEC_USERNAME must differ from MQTT_USERNAME (the broker admin is not the ingest account)');
  }
  return {
    kind: 'external',
    url: mqttUrl,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    dynsec: dynsecUser !== undefined && dynsecPassword !== undefined ? { username: dynsecUser, password: dynsecPassword } : null,
  };
}

/**
 * COMPLIANCE_RULES: a JSON object overriding any of the engine's thresholds (libs/domain
 * compliance/rules.ts documents each with its default), e.g. {"offRouteToleranceM":80}.
 */
function complianceRulesVar(env: Env): ComplianceRules {
  const raw = env['COMPLIANCE_RULES'];
  if (raw === undefined || raw === '') return { ...DEFAULT_COMPLIANCE_RULES };
  let overrides: unknown;
  try {
    overrides = JSON.parse(raw);
  } catch {
    throw new ConfigError('COMPLIANCE_RULES must be a JSON object, e.g. {"offRouteToleranceM":80}');
  }
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ConfigError('COMPLIANCE_RULES must be a JSON object, e.g. {"offRouteToleranceM":80}');
  }
  const rules: Record<string, number | null> = { ...DEFAULT_COMPLIANCE_RULES };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_COMPLIANCE_RULES)) {
      throw new ConfigError(`COMPLIANCE_RULES: no threshold "${key}"; known: ${Object.keys(DEFAULT_COMPLIANCE_RULES).join(', ')}`);
    }
    const nullable = key === 'defaultSpeedLimitKmh';
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0) && !(nullable && value === null)) {
      throw new ConfigError(`COMPLIANCE_RULES.${key} must be a number ≥ 0${nullable ? ' or null' : ''}; got ${JSON.stringify(value)}`);
    }
    rules[key] = value as number | null;
  }
  return rules as unknown as ComplianceRules;
}

/** The role the migrations create for the API to run as (migrations/1765200000000-AppRole.ts). */
export const APP_DATABASE_ROLE = 'muckwatch_app';

function ownerUrlVar(env: Env, databaseUrl: string | undefined): string | null {
  const ownerUrl = withPassword(urlVar(env, 'DATABASE_OWNER_URL', ['postgres:', 'postgresql:']), env['DATABASE_OWNER_PASSWORD'], 'DATABASE_OWNER_URL', 'DATABASE_OWNER_PASSWORD');
  if (ownerUrl === undefined) return null;
  if (databaseUrl === undefined) throw new ConfigError('DATABASE_OWNER_URL needs DATABASE_URL (the embedded database has one user)');
  const app = new URL(databaseUrl);
  const owner = new URL(ownerUrl);
  if (decodeURIComponent(app.username) !== APP_DATABASE_ROLE) {
    throw new ConfigError(`with DATABASE_OWNER_URL, DATABASE_URL must connect as ${APP_DATABASE_ROLE}; got "${decodeURIComponent(app.username)}"`);
  }
  if (decodeURIComponent(owner.username) === APP_DATABASE_ROLE) {
    throw new ConfigError(`DATABASE_OWNER_URL must not connect as ${APP_DATABASE_ROLE}: it names the role that owns the schema`);
  }
  if (app.host !== owner.host || app.pathname !== owner.pathname) {
    throw new ConfigError('DATABASE_OWNER_URL and DATABASE_URL must name the same server and database');
  }
  return ownerUrl;
}

/**
 * Secrets the API reads that may instead come from a file, as `<NAME>_FILE` (docker secrets mount
 * them under /run/secrets). DATABASE_PASSWORD is the password of DATABASE_URL's user, kept out of
 * the URL so the URL itself is no secret.
 */
export const FILE_SECRETS = [
  'DATABASE_PASSWORD',
  'DATABASE_OWNER_PASSWORD',
  'MQTT_PASSWORD',
  'MQTT_DYNSEC_PASSWORD',
  'ADMIN_PASSWORD',
  'AUTH_JWT_SECRET',
  'METRICS_TOKEN',
] as const;

/** Largest secret file read: a password, a key or a token, never a document. */
const SECRET_FILE_MAX_BYTES = 4096;

/**
 * The environment with each `<NAME>_FILE` of FILE_SECRETS replaced by `<NAME>` = the file's content
 * (one trailing newline removed). Setting both, an unreadable, empty or oversized file is an error
 * naming the variable.
 */
export function withFileSecrets(env: Env, readFile: (path: string) => Buffer = readFileSync): Env {
  const resolved: Env = { ...env };
  for (const name of FILE_SECRETS) {
    const path = env[`${name}_FILE`];
    if (path === undefined || path === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      throw new ConfigError(`${name} and ${name}_FILE are both set; set one`);
    }
    let content: Buffer;
    try {
      content = readFile(path);
    } catch (error) {
      throw new ConfigError(`${name}_FILE: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (content.length > SECRET_FILE_MAX_BYTES) {
      throw new ConfigError(`${name}_FILE: "${path}" is larger than ${SECRET_FILE_MAX_BYTES} bytes`);
    }
    const value = content.toString('utf8').replace(/\r?\n$/, '');
    if (value === '') throw new ConfigError(`${name}_FILE: "${path}" is empty`);
    resolved[name] = value;
  }
  return resolved;
}

/** DATABASE_URL with DATABASE_PASSWORD as its password (refused if the URL already has one). */
function databaseUrlVar(env: Env): string | undefined {
  return withPassword(urlVar(env, 'DATABASE_URL', ['postgres:', 'postgresql:']), env['DATABASE_PASSWORD'], 'DATABASE_URL', 'DATABASE_PASSWORD');
}

/** A URL with a password from its own variable (or file), refused if the URL already has one. */
function withPassword(url: string | undefined, password: string | undefined, urlName: string, passwordName: string): string | undefined {
  if (password === undefined || password === '') return url;
  if (url === undefined) throw new ConfigError(`${passwordName} is set without ${urlName}`);
  const parsed = new URL(url);
  if (parsed.password !== '') throw new ConfigError(`${urlName} already has a password: drop it or ${passwordName}`);
  if (parsed.username === '') throw new ConfigError(`${passwordName} needs a user in ${urlName}`);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export function loadApiConfig(rawEnv: Env = process.env): ApiConfig {
  const env = withFileSecrets(rawEnv);
  const metricsToken = env['METRICS_TOKEN'] || null;
  if (metricsToken !== null && (metricsToken.length < 16 || metricsToken.length > 512 || /\s/.test(metricsToken))) {
    throw new ConfigError('METRICS_TOKEN must be 16 to 512 characters without spaces');
  }
  const databaseUrl = databaseUrlVar(env);
  const databaseOwnerUrl = ownerUrlVar(env, databaseUrl);
  const mqttUrl = urlVar(env, 'MQTT_URL', ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:']);
  const external = mqttUrl !== undefined;
  const quality = DEFAULT_FIX_QUALITY_POLICY;
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const logLevel = (env['LOG_LEVEL'] ?? 'info') as ApiConfig['logLevel'];
  if (!levels.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${levels.join(', ')}`);
  const retentionMonths = intVar(env, 'RETENTION_MONTHS', 6, 1, 120);
  const maxAgeHours = intVar(env, 'FIX_MAX_AGE_HOURS', quality.maxAgeMs / 3_600_000, 1, 24 * 366 * 10);
  if (maxAgeHours > retentionMonths * 28 * 24) {
    throw new ConfigError(
      `FIX_MAX_AGE_HOURS (${maxAgeHours}) reaches past RETENTION_MONTHS (${retentionMonths}): such fixes would land in dropped partitions`,
    );
  }
  const seedDemo = boolVar(env, 'SEED_DEMO', false);
  const instanceId = env['INSTANCE_ID'] || hostname();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(instanceId)) throw new ConfigError('INSTANCE_ID must be 1–64 letters, digits, dots, dashes or underscores');
  const clusterName = env['CLUSTER_NAME'] || 'muckwatch';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(clusterName)) throw new ConfigError('CLUSTER_NAME must be 1–40 letters, digits, dashes or underscores');
  return {
    instanceId,
    clusterName,
    host: env['HOST'] ?? '127.0.0.1',
    port: intVar(env, 'PORT', 3000, 0, 65535),
    logLevel,
    database: {
      ...(databaseUrl
        ? { kind: 'external' as const, url: databaseUrl, ownerUrl: databaseOwnerUrl }
        : {
            kind: 'embedded' as const,
            dataDir: env['EMBEDDED_DB_DIR'] ?? '.data/pglite',
            port: intVar(env, 'EMBEDDED_DB_PORT', 0, 0, 65535),
          }),
      poolSize: intVar(env, 'DATABASE_POOL_SIZE', databaseUrl ? 6 : 1, 1, 100),
    },
    broker: brokerConfig(env, mqttUrl),
    ingest: {
      connections: intVar(env, 'INGEST_CONNECTIONS', external ? 4 : 1, 1, 1024),
      inflightPerConnection: intVar(env, 'INGEST_INFLIGHT_PER_CONNECTION', 512, 1, 1000),
      sharedSubscription: boolVar(env, 'INGEST_SHARED_SUBSCRIPTION', external),
      shareGroup: env['INGEST_SHARE_GROUP'] ?? 'muckwatch-ingest',
      clientIdPrefix: env['INGEST_CLIENT_ID_PREFIX'] ?? `muckwatch-ingest-${instanceId}`,
      maxBatchFixes: intVar(env, 'INGEST_MAX_BATCH_FIXES', 20_000, 500, 1_000_000),
      stallSeconds: intVar(env, 'INGEST_STALL_SECONDS', 30, 1, 86_400),
      quality: {
        maxFutureMs: intVar(env, 'FIX_MAX_FUTURE_SECONDS', quality.maxFutureMs / 1000, 0, 86_400) * 1000,
        maxAgeMs: maxAgeHours * 3_600_000,
        maxImpliedSpeedKmh: intVar(env, 'FIX_MAX_IMPLIED_SPEED_KMH', quality.maxImpliedSpeedKmh, 10, 2000),
      },
    },
    jt808:
      env['JT808_PORT'] === 'off'
        ? null
        : {
            host: env['JT808_HOST'] ?? env['HOST'] ?? '127.0.0.1',
            port: intVar(env, 'JT808_PORT', 6808, 0, 65535),
            maxConnections: intVar(env, 'JT808_MAX_CONNECTIONS', 20_000, 1, 1_000_000),
            framesPerSecond: intVar(env, 'JT808_FRAMES_PER_SECOND', 20, 1, 10_000),
            authTimeoutSeconds: intVar(env, 'JT808_AUTH_TIMEOUT_SECONDS', 60, 1, 3600),
            idleTimeoutSeconds: intVar(env, 'JT808_IDLE_TIMEOUT_SECONDS', 360, 10, 86_400),
          },
    retentionMonths,
    monthCloseMinutes: intVar(env, 'MONTH_CLOSE_MINUTES', 10, 0, 24 * 60),
    replayOverviews: {
      minutes: intVar(env, 'REPLAY_OVERVIEW_MINUTES', 10, 0, 24 * 60),
      days: intVar(env, 'REPLAY_OVERVIEW_DAYS', REPLAY_LIMITS.maxDays, 1, REPLAY_LIMITS.maxDays),
      zooms: zoomsVar(env, 'REPLAY_OVERVIEW_ZOOMS', [...REPLAY_LIMITS.storedZooms]),
    },
    compliance: { tickMs: intVar(env, 'COMPLIANCE_TICK_SECONDS', 30, 1, 3600) * 1000, rules: complianceRulesVar(env) },
    commands: {
      timeoutMs: intVar(env, 'COMMAND_TIMEOUT_MS', 30_000, 100, 600_000),
      attempts: intVar(env, 'COMMAND_ATTEMPTS', 3, 1, 10),
      expiryMs: intVar(env, 'COMMAND_EXPIRY_SECONDS', 86_400, 1, 7 * 86_400) * 1000,
      sweepMs: intVar(env, 'COMMAND_SWEEP_MS', 2000, 100, 60_000),
    },
    live: {
      batchMs: intVar(env, 'LIVE_BATCH_MS', 1000, 50, 60_000),
      offlineAfterSeconds: intVar(env, 'OFFLINE_AFTER_SECONDS', 300, 10, 86_400),
    },
    baseMaps: baseMapsConfig(env),
    seedDemo,
    auth: authConfig(env, seedDemo),
    http: {
      corsOrigins: (env['CORS_ORIGINS'] ?? '').split(',').map((o) => o.trim()).filter(Boolean),
      trustProxy: intVar(env, 'TRUST_PROXY', 0, 0, 10),
      bodyLimitBytes: intVar(env, 'BODY_LIMIT_KB', 5 * 1024, 16, 100 * 1024) * 1024,
      loginPerMinute: intVar(env, 'LOGIN_RATE_PER_MINUTE', 10, 1, 10_000),
      expensivePerMinute: intVar(env, 'EXPENSIVE_RATE_PER_MINUTE', 60, 1, 100_000),
    },
    webDist: env['WEB_DIST'] === 'none' ? null : (env['WEB_DIST'] ?? 'apps/web/dist'),
    metrics: { token: metricsToken },
  };
}

export const API_CONFIG = Symbol('API_CONFIG');
