import { randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { STANDARD_TERMINAL_MODEL, VENDOR_TERMINAL_MODELS, readMuckStates } from '@muckwatch/contracts';
import { DomainEvents, Jt808AuthService, type RunningApi } from '@muckwatch/api';
import { signInAs } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

/** A phone number no other run uses: 1 + 10 random digits (the registry stores it with a leading 0, as a 12-digit BCD would carry it). */
function uniquePhone(): string {
  return `1${String(randomInt(0, 1e9)).padStart(9, '0')}${randomInt(0, 10)}`;
}

/**
 * The JT/T 808 gateway's side of the registry, against real PostgreSQL: register (0x0100 → 0x8100),
 * authenticate (0x0102), modelFor, and an admin's revocation closing the door again.
 */
describe('JT/T 808 auth codes: register, authenticate, revoke', () => {
  let api: RunningApi;
  let db: pg.Pool;
  let auth: Jt808AuthService;
  const tag = uniqueTag();
  const companyId = randomUUID();
  const boundTruck = randomUUID();
  const freeTruck = randomUUID();
  const boundPlate = `鲁C${tag.toUpperCase()}1`.slice(0, 7);
  const freePlate = `鲁D${tag.toUpperCase()}2`.slice(0, 7);
  const hopechart = { terminalId: `J8H${tag}`, phone: uniquePhone() };
  const plain = { terminalId: `J8S${tag}`, phone: uniquePhone() };
  const mqttTerminal = { terminalId: `J8M${tag}`, phone: uniquePhone() };
  const info = (plate: string) => ({ makerId: '70111', model: 'HQ-ZT01', terminalId: 'SN0001', plate });

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    api = await startTestApi({ MQTT_URL: '', EMBEDDED_MQTT_PORT: '0', INGEST_CONNECTIONS: '1', INGEST_SHARED_SUBSCRIPTION: 'false' });
    auth = api.app.get(Jt808AuthService);
    await db.query(`INSERT INTO transport_companies (id, name, credit_code) VALUES ($1, $2, $3)`, [
      companyId,
      `部标测试运输-${tag}`,
      `91370305J8${tag.toUpperCase()}`.padEnd(18, '0'),
    ]);
    await db.query(`INSERT INTO trucks (id, plate, company_id) VALUES ($1, $2, $3), ($4, $5, $3)`, [boundTruck, boundPlate, companyId, freeTruck, freePlate]);
    await db.query(`INSERT INTO terminals (terminal_id, sim, maker, protocol, truck_id, bound_at) VALUES ($1, $2, '鸿泉', 'jt808-2013', $3, now())`, [
      hopechart.terminalId,
      `0${hopechart.phone}`,
      boundTruck,
    ]);
    await db.query(`INSERT INTO terminals (terminal_id, sim, protocol) VALUES ($1, $2, 'jt808-2019')`, [plain.terminalId, plain.phone]);
    await db.query(`INSERT INTO terminals (terminal_id, sim, protocol) VALUES ($1, $2, 'mqtt-v1')`, [mqttTerminal.terminalId, mqttTerminal.phone]);
  });

  afterAll(async () => {
    await api?.close();
    await db?.end();
  });

  it('registers a known terminal by its phone (leading zeros dropped) and authenticates it with the code; the code is stored hashed', async () => {
    const registered = await auth.register(hopechart.phone, info(boundPlate));
    expect(registered).toMatchObject({ ok: true, terminalId: hopechart.terminalId });
    const code = (registered as { authCode: string }).authCode;
    const { rows } = await db.query<{ code_hash: string; issued_via: string; reported: Record<string, string> }>(
      `SELECT code_hash, issued_via, reported FROM jt808_auth_codes WHERE terminal_id = $1 AND revoked_at IS NULL`,
      [hopechart.terminalId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code_hash).toMatch(/^\$7\$/);
    expect(rows[0]!.code_hash).not.toContain(code);
    expect(rows[0]).toMatchObject({ issued_via: 'register', reported: { makerId: '70111', model: 'HQ-ZT01', plate: boundPlate } });

    const authenticated = await auth.authenticate(hopechart.phone, code);
    expect(authenticated).toMatchObject({ ok: true, terminalId: hopechart.terminalId });
    const hopechartDefault = VENDOR_TERMINAL_MODELS.find((m) => m.key === 'hopechart')!.mapping;
    expect((authenticated as { model: unknown }).model).toEqual(hopechartDefault);
    // Twice: the second check takes the verified cache.
    expect((await auth.authenticate(`00${hopechart.phone}`, code)).ok).toBe(true);
    expect((await auth.authenticate(hopechart.phone, `${code}x`)).ok).toBe(false);
  });

  it('re-registration issues a new code: the old one stops working; both registrations are audited', async () => {
    const first = await auth.register(plain.phone, info(''));
    const second = await auth.register(plain.phone, info(''));
    expect(first.ok && second.ok).toBe(true);
    const [a, b] = [(first as { authCode: string }).authCode, (second as { authCode: string }).authCode];
    expect(a).not.toBe(b);
    expect((await auth.authenticate(plain.phone, a)).ok).toBe(false);
    expect((await auth.authenticate(plain.phone, b)).ok).toBe(true);
    const audited = await db.query<{ detail: { reissued: boolean } }>(
      `SELECT detail FROM audit_log WHERE action = 'jt808.register' AND outcome = 'success' AND resource_id = $1 ORDER BY id`,
      [plain.terminalId],
    );
    expect(audited.rows.map((r) => r.detail.reissued)).toEqual([false, true]);
  });

  it('answers the 0x8100 refusals: 4 unknown phone or not JT/T 808, 2 unknown plate, 1 plate of another truck', async () => {
    const unknownPhone = uniquePhone();
    expect(await auth.register(unknownPhone, info(''))).toMatchObject({ ok: false, result: 4 });
    expect(await auth.register(mqttTerminal.phone, info(''))).toMatchObject({ ok: false, result: 4 });
    expect(await auth.register(hopechart.phone, info('鲁CZZ999'))).toMatchObject({ ok: false, result: 2 });
    expect(await auth.register(hopechart.phone, info(freePlate))).toMatchObject({ ok: false, result: 1 });
    // The unbound terminal may name the free truck (registration never binds), but not the bound one.
    expect(await auth.register(plain.phone, info(boundPlate))).toMatchObject({ ok: false, result: 1 });
    expect((await auth.register(plain.phone, info(freePlate))).ok).toBe(true);
    expect(await auth.register('12ab', info(''))).toMatchObject({ ok: false, result: 4 });
  });

  it('records a refusal for an unknown phone in the audit log, with what the terminal said', async () => {
    const unknownPhone = uniquePhone();
    await auth.register(unknownPhone, info(''));
    await auth.authenticate(unknownPhone, 'whatever');
    const { rows } = await db.query<{ action: string; outcome: string; detail: { phone: string; result?: number } }>(
      `SELECT action, outcome, detail FROM audit_log WHERE action IN ('jt808.register', 'jt808.authenticate') AND detail->>'phone' = $1 ORDER BY id`,
      [unknownPhone],
    );
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['jt808.register', 'denied'],
      ['jt808.authenticate', 'denied'],
    ]);
    expect(rows[0]!.detail.result).toBe(4);
  });

  it('an admin revocation stops authentication, tells the gateway, and refuses re-registration (3) until a code is issued', async () => {
    const registered = await auth.register(hopechart.phone, info(boundPlate));
    const code = (registered as { authCode: string }).authCode;
    const events: Array<{ terminalId: string; reason: string }> = [];
    const unsubscribe = api.app.get(DomainEvents).subscribe('jt808.auth_code.revoked', (e) => void events.push(e));
    const admin = await signInAs(api, 'admin');
    expect((await admin.delete(`/api/v1/terminals/${hopechart.terminalId}/jt808-auth-code`)).status).toBe(204);
    expect(events).toEqual([expect.objectContaining({ terminalId: hopechart.terminalId, reason: 'revoked' })]);
    expect(await auth.authenticate(hopechart.phone, code)).toMatchObject({ ok: false });
    expect(await auth.register(hopechart.phone, info(boundPlate))).toMatchObject({ ok: false, result: 3 });
    const refusal = await db.query<{ resource_id: string }>(
      `SELECT resource_id FROM audit_log WHERE action = 'jt808.register' AND outcome = 'denied' AND detail->>'phone' = $1 AND (detail->>'result')::int = 3`,
      [hopechart.phone],
    );
    expect(refusal.rows.map((r) => r.resource_id)).toEqual([hopechart.terminalId]);
    expect((await admin.delete(`/api/v1/terminals/${hopechart.terminalId}/jt808-auth-code`)).status).toBe(404);

    const issued = await admin.post<{ authCode: string; rotated: boolean }>(`/api/v1/terminals/${hopechart.terminalId}/jt808-auth-code`);
    expect(issued.status).toBe(201);
    expect(issued.body.rotated).toBe(false);
    expect((await auth.authenticate(hopechart.phone, issued.body.authCode)).ok).toBe(true);
    expect((await auth.register(hopechart.phone, info(boundPlate))).ok).toBe(true);
    unsubscribe();
  });

  it('modelFor: the maker row for a known maker, the standard row for anything else', async () => {
    expect(await auth.modelFor(plain.terminalId)).toEqual(STANDARD_TERMINAL_MODEL.mapping);
    expect(await auth.modelFor(`no-such-${tag}`)).toEqual(STANDARD_TERMINAL_MODEL.mapping);
    const mapping = await auth.modelFor(hopechart.terminalId);
    const states = readMuckStates(mapping, { status: 0b11 << 8, extras: new Map([[0xe3, Buffer.from([1])]]) });
    expect(states).toEqual({ cover: null, body: 'raised', load: 'full' });
  });
});
