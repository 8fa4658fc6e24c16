import { Injectable } from '@nestjs/common';
import { TERMINAL_PROTOCOLS, type RegisteredTerminal, type TerminalBinding, type TerminalInput, type TerminalRecord } from '@muckwatch/contracts';
import { TerminalCredentialsService } from '../../terminal-credentials/terminal-credentials.service.js';
import { badInput, conflict, Input, notFound, patched } from '../common/input.js';
import { orConflict } from '../common/pg-errors.js';
import { type Actor, RegistryDb, type Sql } from '../common/registry-db.js';
import { bindingsWhere } from '../trucks/trucks.service.js';

/** As used in MQTT topics (same rule as the ingest). */
export const TERMINAL_ID = /^[A-Za-z0-9_-]{1,32}$/;

interface TerminalRow {
  terminal_id: string;
  sim: string | null;
  maker: string | null;
  model: string | null;
  protocol: TerminalRecord['protocol'];
  installed_on: string | null;
  truck_id: string | null;
  plate: string | null;
  bound_at: Date | null;
  demo: boolean;
}

const SELECT = `
  SELECT te.terminal_id, te.sim, te.maker, te.model, te.protocol, to_char(te.installed_on, 'YYYY-MM-DD') AS installed_on,
         te.truck_id, tr.plate, te.bound_at, te.demo
    FROM terminals te
    LEFT JOIN trucks tr ON tr.id = te.truck_id`;

function toTerminal(row: TerminalRow): TerminalRecord {
  return {
    terminalId: row.terminal_id,
    sim: row.sim,
    maker: row.maker,
    model: row.model,
    protocol: row.protocol,
    installedOn: row.installed_on,
    truckId: row.truck_id,
    plate: row.plate,
    boundAt: row.bound_at?.toISOString() ?? null,
    demo: row.demo,
  };
}

function parseTerminal(body: unknown): Required<TerminalInput> {
  const input: Input = Input.of(body);
  const terminalId = input.text('terminalId', { max: 32 });
  if (!TERMINAL_ID.test(terminalId)) input.fail('terminalId', 'terminalId must be 1–32 of [A-Za-z0-9_-] (it names the MQTT topic)', { code: 'registry.terminal_id_invalid' });
  const sim = input.optionalText('sim', { max: 20 });
  if (sim !== null && !/^\d{11,20}$/.test(sim)) input.fail('sim', 'sim must be 11–20 digits (MSISDN or ICCID)', { code: 'registry.sim_invalid' });
  return {
    terminalId,
    sim,
    maker: input.optionalText('maker', { max: 100 }),
    model: input.optionalText('model', { max: 100 }),
    protocol: input.oneOf('protocol', TERMINAL_PROTOCOLS, 'mqtt-v1'),
    installedOn: input.optionalDate('installedOn'),
  };
}

/**
 * 卫星定位终端 and their binding to trucks. A terminal is bound to at most one truck and a truck
 * carries at most one terminal at a time; every binding is kept with its start and end, so a fix
 * is attributable to the truck that carried the terminal when it was sent.
 */
@Injectable()
export class TerminalsService {
  constructor(
    private readonly db: RegistryDb,
    private readonly credentials: TerminalCredentialsService,
  ) {}

  async list(): Promise<TerminalRecord[]> {
    return (await this.db.rows<TerminalRow>(`${SELECT} ORDER BY te.terminal_id`)).map(toTerminal);
  }

  async get(terminalId: string, sql: Sql = this.db.sql, lock = false): Promise<TerminalRecord> {
    const { rows } = await sql.query<TerminalRow>(`${SELECT} WHERE te.terminal_id = $1${lock ? ' FOR UPDATE OF te' : ''}`, [terminalId]);
    return rows[0] ? toTerminal(rows[0]) : notFound('terminal', terminalId);
  }

  /** Registers a terminal and issues its MQTT credentials in the same transaction. */
  async create(actor: Actor, body: unknown): Promise<RegisteredTerminal> {
    const t = parseTerminal(body);
    return this.db.write(actor, async (tx) => {
      await orConflict(
        tx.sql.query(`INSERT INTO terminals (terminal_id, sim, maker, model, protocol, installed_on) VALUES ($1, $2, $3, $4, $5, $6)`, [
          t.terminalId,
          t.sim,
          t.maker,
          t.model,
          t.protocol,
          t.installedOn,
        ]),
        { terminals_pkey: 'terminalId' },
      );
      const after = await this.get(t.terminalId, tx.sql);
      await tx.audited('terminal', 'create', t.terminalId, null, after);
      const credentials = await this.credentials.issue(t.terminalId, actor.principal, actor.origin, tx.sql);
      return { terminal: after, credentials };
    });
  }

  async update(actor: Actor, terminalId: string, body: unknown): Promise<TerminalRecord> {
    const before = await this.get(terminalId);
    if (Input.of(body).has('terminalId') && (body as { terminalId: unknown }).terminalId !== terminalId) {
      badInput('terminalId', 'terminalId is the identity of a terminal and cannot change; register a new terminal instead', {
        code: 'registry.terminal_id_immutable',
      });
    }
    const t = parseTerminal(patched(before, body));
    return this.db.write(actor, async (tx) => {
      await tx.sql.query(`UPDATE terminals SET sim = $2, maker = $3, model = $4, protocol = $5, installed_on = $6, updated_at = now() WHERE terminal_id = $1`, [
        terminalId,
        t.sim,
        t.maker,
        t.model,
        t.protocol,
        t.installedOn,
      ]);
      const after = await this.get(terminalId, tx.sql);
      await tx.audited('terminal', 'update', terminalId, before, after);
      return after;
    });
  }

  async remove(actor: Actor, terminalId: string): Promise<void> {
    const before = await this.get(terminalId);
    if (before.truckId) conflict('terminalId', `terminal ${terminalId} is bound to ${before.plate}; unbind it first`, {
        code: 'registry.terminal_bound',
        params: { terminalId, plate: before.plate },
      });
    await this.db.write(actor, async (tx) => {
      await tx.sql.query(`DELETE FROM terminals WHERE terminal_id = $1`, [terminalId]);
      await tx.audited('terminal', 'delete', terminalId, before, null);
    });
  }

  /** Binds the terminal to a truck; with `rebind`, a terminal bound elsewhere moves (its old binding ends now). */
  async bind(actor: Actor, terminalId: string, body: unknown): Promise<TerminalRecord> {
    const input: Input = Input.of(body);
    const truckId = input.uuid('truckId');
    const rebind = input.bool('rebind', false);
    return this.db.write(actor, async (tx) => {
      const before = await this.get(terminalId, tx.sql, true);
      const truck = await tx.sql.query<{ plate: string; terminal_id: string | null }>(
        `SELECT tr.plate, te.terminal_id FROM trucks tr LEFT JOIN terminals te ON te.truck_id = tr.id WHERE tr.id = $1 FOR UPDATE OF tr`,
        [truckId],
      );
      const target = truck.rows[0];
      if (!target) badInput('truckId', `truckId: no truck ${truckId}`, { code: 'registry.truck_unknown', params: { truckId } });
      if (before.truckId === truckId) return before;
      if (before.truckId && !rebind) {
        badInput('terminalId', `terminal ${terminalId} is already bound to ${before.plate}; unbind it first or set rebind: true`, {
          code: 'registry.terminal_bound',
          params: { terminalId, plate: before.plate },
        });
      }
      if (target.terminal_id) badInput('truckId', `truck ${target.plate} already carries terminal ${target.terminal_id}; unbind that first`, {
          code: 'registry.truck_has_terminal',
          params: { plate: target.plate, terminalId: target.terminal_id },
        });
      const now = (await tx.sql.query<{ now: Date }>(`SELECT clock_timestamp() AS now`)).rows[0]!.now;
      await tx.sql.query(`UPDATE terminal_bindings SET unbound_at = $2 WHERE terminal_id = $1 AND unbound_at IS NULL`, [terminalId, now]);
      await tx.sql.query(`INSERT INTO terminal_bindings (terminal_id, truck_id, plate, bound_at) VALUES ($1, $2, $3, $4)`, [terminalId, truckId, target.plate, now]);
      await tx.sql.query(`UPDATE terminals SET truck_id = $2, bound_at = $3, updated_at = now() WHERE terminal_id = $1`, [terminalId, truckId, now]);
      const after = await this.get(terminalId, tx.sql);
      await tx.audited('terminal', 'bind', terminalId, before, after);
      return after;
    });
  }

  async unbind(actor: Actor, terminalId: string): Promise<TerminalRecord> {
    return this.db.write(actor, async (tx) => {
      const before = await this.get(terminalId, tx.sql, true);
      if (!before.truckId) badInput('terminalId', `terminal ${terminalId} is not bound to a truck`, { code: 'registry.terminal_not_bound', params: { terminalId } });
      await tx.sql.query(`UPDATE terminal_bindings SET unbound_at = clock_timestamp() WHERE terminal_id = $1 AND unbound_at IS NULL`, [terminalId]);
      await tx.sql.query(`UPDATE terminals SET truck_id = NULL, bound_at = NULL, updated_at = now() WHERE terminal_id = $1`, [terminalId]);
      const after = await this.get(terminalId, tx.sql);
      await tx.audited('terminal', 'unbind', terminalId, before, after);
      return after;
    });
  }

  async bindings(terminalId: string): Promise<TerminalBinding[]> {
    await this.get(terminalId);
    return bindingsWhere(this.db.sql, 'terminal_id = $1', terminalId);
  }
}
