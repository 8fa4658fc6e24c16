import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL that `pg` and TypeORM connect to, like any PostgreSQL server. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL 18 + PostGIS 3.6 compiled to WebAssembly (PGlite), served over the PostgreSQL wire
 * protocol on a loopback port so the API uses the very same `pg`/TypeORM code path as with a real
 * server. PGlite is single-session underneath; the socket server multiplexes connections.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  host?: string;
  maxConnections?: number;
}): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { postgis } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port,
    maxConnections: options.maxConnections ?? 32,
  });
  await server.start();
  const address = (server as unknown as { server?: { address(): { port: number } | string | null } }).server?.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
