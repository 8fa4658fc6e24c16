import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedBroker, startEmbeddedPostgres } from '@muckwatch/api';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The database every integration test uses: a fresh one on the real server, or PGlite. */
    databaseUrl: string;
    databaseKind: 'postgresql' | 'pglite';
    /** The shared broker: MQTT_URL (Mosquitto in CI) or an embedded Aedes. */
    mqttUrl: string;
    brokerKind: 'external' | 'aedes';
  }
}

/**
 * One database and one broker for the whole integration run. With DATABASE_URL / MQTT_URL the
 * real services are used (a fresh database is created on the server and dropped at the end);
 * without them, the same embedded services the API uses on a machine with only Node.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardown: Array<() => Promise<void>> = [];

  const serverUrl = process.env['DATABASE_URL'];
  if (serverUrl) {
    const name = `muckwatch_test_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await db.end();
    project.provide('databaseUrl', url.toString());
    project.provide('databaseKind', 'postgresql');
    teardown.push(async () => {
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    });
  } else {
    const dataDir = join(tmpdir(), `muckwatch-test-pglite-${process.pid}`);
    const embedded = await startEmbeddedPostgres({ dataDir, port: 0 });
    project.provide('databaseUrl', embedded.url);
    project.provide('databaseKind', 'pglite');
    teardown.push(async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
  }

  const mqttUrl = process.env['MQTT_URL'];
  if (mqttUrl) {
    project.provide('mqttUrl', mqttUrl);
    project.provide('brokerKind', 'external');
  } else {
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    project.provide('mqttUrl', broker.url);
    project.provide('brokerKind', 'aedes');
    teardown.push(() => broker.stop());
  }

  return async () => {
    for (const step of teardown.reverse()) await step();
  };
}
