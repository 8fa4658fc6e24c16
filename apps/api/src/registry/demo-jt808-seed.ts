import type pg from 'pg';
import { demoRegistry, type DemoJt808Terminal } from '@muckwatch/linzi';
import { inTransaction } from '../database/transaction.js';

/**
 * `npm start` only (the demo, on a demo registry): makes the demo terminals of `plan`
 * (libs/linzi/src/demo/jt808.ts, DEMO_JT808_SHARE) JT/T 808 terminals — protocol, SIM, maker and
 * model — and puts every other demo terminal back to MQTT with its registry maker, so a changed
 * share takes effect on the next start. Touches only rows marked `demo`; the JT/T 808 door reads
 * them at each registration (apps/api/src/terminal-credentials/jt808-auth.service.ts).
 * Returns how many rows changed.
 */
export async function seedDemoJt808Terminals(pool: pg.Pool, plan: readonly DemoJt808Terminal[]): Promise<number> {
  const chosen = new Map(plan.map((t) => [t.terminalId, t]));
  return inTransaction(pool, async (db) => {
    let changed = 0;
    for (const terminal of demoRegistry.terminals) {
      const jt808 = chosen.get(terminal.id);
      const target = jt808
        ? { protocol: jt808.protocol, sim: jt808.sim, maker: jt808.maker, model: jt808.model }
        : { protocol: 'mqtt-v1', sim: terminal.simNo, maker: terminal.vendor, model: terminal.model };
      const result = await db.query(
        `UPDATE terminals SET protocol = $2, sim = $3, maker = $4, model = $5, updated_at = now()
          WHERE terminal_id = $1 AND demo
            AND (protocol, coalesce(sim, ''), coalesce(maker, ''), coalesce(model, '')) IS DISTINCT FROM ($2, $3, $4, $5)`,
        [terminal.id, target.protocol, target.sim, target.maker, target.model],
      );
      changed += result.rowCount ?? 0;
    }
    return changed;
  });
}
