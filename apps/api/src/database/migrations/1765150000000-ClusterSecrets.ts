import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secrets every API instance of one database must share and that no operator set: today the key
 * that signs access tokens when AUTH_JWT_SECRET is not given. The first instance to start stores
 * a random one; the others read it, so a console signed in through one instance is signed in on
 * all (behind a load balancer, each request may reach another). Set AUTH_JWT_SECRET in production
 * (compose reads it from a secret file): then nothing is stored here.
 */
export class ClusterSecrets1765150000000 implements MigrationInterface {
  name = 'ClusterSecrets1765150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cluster_secrets (
        name       text PRIMARY KEY,
        value      text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cluster_secrets`);
  }
}
