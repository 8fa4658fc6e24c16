import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseMapsConfig, loadApiConfig, withFileSecrets } from './api-config.js';

describe('broker configuration', () => {
  it('authenticates terminals on the embedded broker unless EMBEDDED_MQTT_AUTH=false', () => {
    expect(loadApiConfig({}).broker).toMatchObject({ kind: 'embedded', authenticate: true });
    expect(loadApiConfig({ EMBEDDED_MQTT_AUTH: 'false' }).broker).toMatchObject({ kind: 'embedded', authenticate: false });
    expect(() => loadApiConfig({ EMBEDDED_MQTT_AUTH: 'maybe' })).toThrow(/EMBEDDED_MQTT_AUTH/);
  });

  it('takes the Mosquitto dynamic-security admin together with an ingest account', () => {
    const env = {
      MQTT_URL: 'mqtt://broker:1883',
      MQTT_USERNAME: 'muckwatch-ingest',
      MQTT_PASSWORD: 'ingest-secret',
      MQTT_DYNSEC_USERNAME: 'broker-admin',
      MQTT_DYNSEC_PASSWORD: 'admin-secret',
    };
    expect(loadApiConfig(env).broker).toMatchObject({ kind: 'external', username: 'muckwatch-ingest', dynsec: { username: 'broker-admin', password: 'admin-secret' } });
    expect(loadApiConfig({ MQTT_URL: 'mqtt://broker:1883' }).broker).toMatchObject({ kind: 'external', dynsec: null });
  });

  it('names the variable that is missing or inconsistent', () => {
    const url = { MQTT_URL: 'mqtt://broker:1883' };
    expect(() => loadApiConfig({ ...url, MQTT_DYNSEC_USERNAME: 'admin' })).toThrow(/MQTT_DYNSEC_USERNAME and MQTT_DYNSEC_PASSWORD/);
    expect(() => loadApiConfig({ ...url, MQTT_DYNSEC_USERNAME: 'admin', MQTT_DYNSEC_PASSWORD: 'x' })).toThrow(/needs MQTT_USERNAME and MQTT_PASSWORD/);
    expect(() => loadApiConfig({ ...url, MQTT_PASSWORD: 'x' })).toThrow(/MQTT_PASSWORD is set without MQTT_USERNAME/);
    expect(() =>
      loadApiConfig({ ...url, MQTT_USERNAME: 'admin', MQTT_PASSWORD: 'x', MQTT_DYNSEC_USERNAME: 'admin', MQTT_DYNSEC_PASSWORD: 'y' }),
    ).toThrow(/must differ/);
  });
});

describe('compliance thresholds', () => {
  it('takes overrides of named thresholds from COMPLIANCE_RULES and keeps the other defaults', () => {
    const rules = loadApiConfig({ COMPLIANCE_RULES: '{"offRouteToleranceM":80,"defaultSpeedLimitKmh":null}' }).compliance.rules;
    expect(rules.offRouteToleranceM).toBe(80);
    expect(rules.defaultSpeedLimitKmh).toBeNull();
    expect(rules.unsealedGraceMs).toBe(loadApiConfig({}).compliance.rules.unsealedGraceMs);
  });

  it('refuses an unknown threshold, a negative one, and what is not JSON, naming the variable', () => {
    expect(() => loadApiConfig({ COMPLIANCE_RULES: '{"offRouteTolerance":80}' })).toThrow(/COMPLIANCE_RULES: no threshold "offRouteTolerance"/);
    expect(() => loadApiConfig({ COMPLIANCE_RULES: '{"overloadTolerance":-1}' })).toThrow(/COMPLIANCE_RULES.overloadTolerance/);
    expect(() => loadApiConfig({ COMPLIANCE_RULES: 'off-route 80' })).toThrow(/COMPLIANCE_RULES must be a JSON object/);
  });
});

describe('refresh cookie', () => {
  it('is Secure unless SECURE_COOKIES=false says otherwise (the demo and the tests, on plain http)', () => {
    expect(loadApiConfig({}).auth.secureCookies).toBe(true);
    expect(loadApiConfig({ SECURE_COOKIES: 'false' }).auth.secureCookies).toBe(false);
  });
});

describe('base maps', () => {
  it('with TIANDITU_KEY: 天地图 vector with its annotation (vec + cva), and imagery with its own (img + cia)', () => {
    const maps = baseMapsConfig({ TIANDITU_KEY: 'k&y' });
    expect(maps.map((m) => m.id)).toEqual(['vector', 'imagery']);
    const layerOf = (url: string): string | undefined => /[?&]LAYER=([a-z]+)&/.exec(url)?.[1];
    expect(maps.map((m) => [layerOf(m.urlTemplate), ...m.overlays.map((o) => layerOf(o.urlTemplate))])).toEqual([['vec', 'cva'], ['img', 'cia']]);
    for (const source of maps.flatMap((m) => [m, ...m.overlays])) {
      expect(source.urlTemplate).toMatch(/^https:\/\/t\{s\}\.tianditu\.gov\.cn\/(vec|cva|img|cia)_w\/wmts\?/);
      expect(source.urlTemplate).toContain('TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k%26y');
      expect(source.subdomains).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    }
  });

  it('a custom MAP_TILE_URL alone, none at all with `none`, else OpenStreetMap', () => {
    expect(baseMapsConfig({ MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png', TIANDITU_KEY: 'k' }).map((m) => m.id)).toEqual(['custom']);
    expect(baseMapsConfig({ MAP_TILE_URL: 'none' })).toEqual([]);
    expect(baseMapsConfig({})).toMatchObject([{ id: 'osm', overlays: [] }]);
  });
});

describe('database roles', () => {
  const app = 'postgres://muckwatch_app:app-secret@db:5432/muckwatch';
  const owner = 'postgres://muckwatch:owner-secret@db:5432/muckwatch';

  it('runs as one role unless DATABASE_OWNER_URL names the owner', () => {
    expect(loadApiConfig({ DATABASE_URL: owner }).database).toMatchObject({ kind: 'external', url: owner, ownerUrl: null });
    expect(loadApiConfig({ DATABASE_URL: app, DATABASE_OWNER_URL: owner }).database).toMatchObject({ kind: 'external', url: app, ownerUrl: owner });
  });

  it('refuses an owner URL that cannot work, naming the variable', () => {
    expect(() => loadApiConfig({ DATABASE_OWNER_URL: owner })).toThrow(/DATABASE_OWNER_URL needs DATABASE_URL/);
    expect(() => loadApiConfig({ DATABASE_URL: owner, DATABASE_OWNER_URL: owner })).toThrow(/DATABASE_URL must connect as muckwatch_app/);
    expect(() => loadApiConfig({ DATABASE_URL: app, DATABASE_OWNER_URL: app })).toThrow(/DATABASE_OWNER_URL must not connect as muckwatch_app/);
    expect(() => loadApiConfig({ DATABASE_URL: app, DATABASE_OWNER_URL: 'postgres://muckwatch@db:5432/other' })).toThrow(/same server and database/);
    expect(() => loadApiConfig({ DATABASE_URL: app, DATABASE_OWNER_URL: 'mysql://muckwatch@db/muckwatch' })).toThrow(/DATABASE_OWNER_URL must use/);
  });
});

describe('secrets from files (<NAME>_FILE, as docker secrets mount them)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'muckwatch-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const secretFile = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads each secret from its file, without the trailing newline', () => {
    const env = {
      DATABASE_URL: 'postgres://muckwatch@db:5432/muckwatch',
      DATABASE_PASSWORD_FILE: secretFile('db', 'p@ss/wörd:1\n'),
      MQTT_URL: 'mqtt://broker:1883',
      MQTT_USERNAME: 'muckwatch-ingest',
      MQTT_PASSWORD_FILE: secretFile('ingest', 'ingest-secret\n'),
      MQTT_DYNSEC_USERNAME: 'broker-admin',
      MQTT_DYNSEC_PASSWORD_FILE: secretFile('dynsec', 'dynsec-secret'),
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD_FILE: secretFile('admin', 'Admin-Passw0rd!\r\n'),
      AUTH_JWT_SECRET_FILE: secretFile('jwt', `${'k'.repeat(40)}\n`),
      METRICS_TOKEN_FILE: secretFile('metrics', 'metrics-token-0123456789\n'),
    };
    const config = loadApiConfig(env);
    expect(config.database).toMatchObject({ kind: 'external' });
    const url = new URL((config.database as { url: string }).url);
    expect([url.username, decodeURIComponent(url.password), url.host]).toEqual(['muckwatch', 'p@ss/wörd:1', 'db:5432']);
    expect(config.broker).toMatchObject({ password: 'ingest-secret', dynsec: { username: 'broker-admin', password: 'dynsec-secret' } });
    expect(config.auth.firstAdmin).toEqual({ username: 'admin', password: 'Admin-Passw0rd!' });
    expect(config.auth.jwtSecret).toBe('k'.repeat(40));
    expect(config.metrics.token).toBe('metrics-token-0123456789');
  });

  it('names the variable when both are set, or the file is missing, empty or oversized', () => {
    expect(() => withFileSecrets({ AUTH_JWT_SECRET: 'x', AUTH_JWT_SECRET_FILE: secretFile('a', 'y') })).toThrow(/AUTH_JWT_SECRET and AUTH_JWT_SECRET_FILE/);
    expect(() => withFileSecrets({ ADMIN_PASSWORD_FILE: join(dir, 'absent') })).toThrow(/ADMIN_PASSWORD_FILE: cannot read .*ENOENT/);
    expect(() => withFileSecrets({ METRICS_TOKEN_FILE: secretFile('empty', '\n') })).toThrow(/METRICS_TOKEN_FILE: .* is empty/);
    expect(() => withFileSecrets({ MQTT_PASSWORD_FILE: secretFile('big', 'x'.repeat(5000)) })).toThrow(/MQTT_PASSWORD_FILE: .* larger than 4096 bytes/);
  });

  it('leaves other *_FILE variables alone and the environment unchanged', () => {
    const env = { HOST_FILE: secretFile('host', '0.0.0.0') };
    expect(withFileSecrets(env)).toEqual(env);
    expect(loadApiConfig(env).host).toBe('127.0.0.1');
  });

  it('puts the owner’s password from its own file into DATABASE_OWNER_URL', () => {
    const config = loadApiConfig({
      DATABASE_URL: 'postgres://muckwatch_app@db:5432/muckwatch',
      DATABASE_PASSWORD_FILE: secretFile('app', 'app-secret\n'),
      DATABASE_OWNER_URL: 'postgres://muckwatch@db:5432/muckwatch',
      DATABASE_OWNER_PASSWORD_FILE: secretFile('owner', 'owner-secret\n'),
    });
    const owner = new URL((config.database as { ownerUrl: string }).ownerUrl);
    expect([owner.username, owner.password]).toEqual(['muckwatch', 'owner-secret']);
    expect(() => loadApiConfig({ DATABASE_URL: 'postgres://muckwatch_app@db/m', DATABASE_OWNER_PASSWORD: 'x' })).toThrow(/DATABASE_OWNER_PASSWORD is set without DATABASE_OWNER_URL/);
  });

  it('refuses DATABASE_PASSWORD with a URL that has a password or no user, or without a URL', () => {
    expect(() => loadApiConfig({ DATABASE_URL: 'postgres://u:p@db/m', DATABASE_PASSWORD: 'q' })).toThrow(/DATABASE_URL already has a password/);
    expect(() => loadApiConfig({ DATABASE_URL: 'postgres://db/m', DATABASE_PASSWORD: 'q' })).toThrow(/DATABASE_PASSWORD needs a user/);
    expect(() => loadApiConfig({ DATABASE_PASSWORD: 'q' })).toThrow(/DATABASE_PASSWORD is set without DATABASE_URL/);
  });

  it('bounds METRICS_TOKEN', () => {
    expect(loadApiConfig({}).metrics.token).toBeNull();
    expect(() => loadApiConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be 16 to 512/);
    expect(() => loadApiConfig({ METRICS_TOKEN: 'has a space in it, long enough' })).toThrow(/METRICS_TOKEN/);
  });
});
