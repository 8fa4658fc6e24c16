import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RegisteredTerminal, TerminalCommandList, TerminalCommandRecord } from '@muckwatch/contracts';
import { checksum, encodeBulkLocation, encodeFrame, encodeLocation, encodeSubpackagedFrames, type Jt808Version } from '@muckwatch/jt808';
import { Jt808Terminal } from '@muckwatch/fleet';
import { type ApiClient, signInAdmin, signInAs } from '../support/api-client.js';
import { registerTruck } from '../support/command-fixtures.js';
import { jt808PortOf, newSim, secondsAgo } from '../support/jt808-fixtures.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/**
 * The JT/T 808 door end to end: a terminal registered in the registry (its SIM is its JT/T 808
 * phone number) registers over TCP, authenticates with the code it was given, and reports; every
 * report goes through the same pipeline as MQTT's and is answered (0x8001) only once committed.
 */
describe('JT/T 808 door', () => {
  let api: TestApi;
  let db: pg.Pool;
  let admin: ApiClient;
  let dispatcher: ApiClient;
  let port: number;
  const tag = uniqueTag();
  const open: Jt808Terminal[] = [];
  let n = 0;

  const newPhone = (): string => newSim('17');
  const connect = async (phone: string, version: Jt808Version): Promise<Jt808Terminal> => {
    const terminal = await Jt808Terminal.connect({ host: '127.0.0.1', port, phone, version });
    open.push(terminal);
    return terminal;
  };
  /** A registry terminal speaking JT/T 808 (no truck). */
  const registryTerminal = async (version: Jt808Version, fields: Record<string, unknown> = {}): Promise<{ terminalId: string; phone: string }> => {
    const phone = newPhone();
    const terminalId = `jt-${tag}-${++n}`;
    const res = await admin.post<RegisteredTerminal>('/api/v1/terminals', { terminalId, sim: phone, protocol: `jt808-${version}`, ...fields });
    expect(res.status).toBe(201);
    return { terminalId, phone };
  };
  /** Registered, authenticated, ready to report. */
  const online = async (version: Jt808Version, fields: Record<string, unknown> = {}) => {
    const { terminalId, phone } = await registryTerminal(version, fields);
    const terminal = await connect(phone, version);
    const registration = await terminal.register({ province: 37, city: 305, makerId: 'SIM01', model: 'M1', terminalId: 'T0001', plateColor: 0, plate: '' });
    expect(registration.result).toBe(0);
    expect(await terminal.authenticate(registration.authCode!)).toBe(0);
    return { terminal, terminalId, phone };
  };
  const positions = async (terminalId: string) =>
    (
      await db.query<{ fix_time: Date; received_at: Date; source: string; cover: string | null; body: string | null; load: string | null; speed_kmh: number; ignition: boolean | null; extra: Record<string, unknown> | null; lon: number; lat: number }>(
        `SELECT fix_time, received_at, source, cover, body, load, speed_kmh, ignition, extra, ST_X(geom) AS lon, ST_Y(geom) AS lat
           FROM positions WHERE terminal_id = $1 ORDER BY fix_time`,
        [terminalId],
      )
    ).rows;
  const rejectionsFrom = async (phone: string) =>
    (await db.query<{ reason: string; source: string; detail: string; terminal_id: string | null }>(`SELECT reason, source, detail, terminal_id FROM rejections WHERE topic LIKE $1 ORDER BY id`, [`jt808/${phone}/%`])).rows;
  const at = secondsAgo;

  beforeAll(async () => {
    api = await startTestApi({ COMMAND_TIMEOUT_MS: '2000', COMMAND_ATTEMPTS: '2' });
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    admin = await signInAdmin(api);
    dispatcher = await signInAs(api, 'dispatcher');
    port = await jt808PortOf(api);
    expect(port).toBeGreaterThan(0);
  });

  afterAll(async () => {
    for (const terminal of open) terminal.destroy();
    await db?.end();
    await api?.close();
  });

  it.each(['2019', '2013'] as const)('JT/T 808-%s: register, authenticate, report; the answer comes after the commit and the fix is stored as from jt808', async (version) => {
    const { terminal, terminalId } = await online(version);
    expect(await terminal.heartbeat()).toBe(0);
    const fixTimeMs = at(5);
    const result = await terminal.report({ lat: 36.812345, lon: 118.312345, fixTimeMs, speedKmh: 42.5, headingDeg: 91, altitudeM: 40, accOn: true, loadState: 'full', mileageKm: 1234.5, satellites: 11 });
    expect(result).toBe(0);
    // Answered only after COMMIT: the row is there the moment the answer is.
    const rows = await positions(terminalId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'jt808', load: 'full', ignition: true });
    expect(rows[0]!.fix_time.getTime()).toBe(fixTimeMs);
    expect(rows[0]!.speed_kmh).toBeCloseTo(42.5, 1);
    expect(rows[0]!.lat).toBeCloseTo(36.812345, 6);
    expect(typeof rows[0]!.extra?.['jt808Status']).toBe('number');
    expect(rows[0]!.extra?.['jt808Alarm']).toBe(0);
  });

  it('reads cover and body by the terminal model’s mapping (锐明: status bits 13 and 14; load from the sensor voltage)', async () => {
    const { terminal, terminalId } = await online('2019', { maker: '锐明', model: 'X3' });
    const status = 0x02 | (1 << 13) | (1 << 14);
    const voltage = Buffer.alloc(2);
    voltage.writeUInt16BE(350); // 3.50 V: full
    expect(await terminal.report({ lat: 36.8, lon: 118.3, fixTimeMs: at(3), status, extras: new Map([[0x2b, voltage]]) })).toBe(0);
    const [row] = await positions(terminalId);
    expect(row).toMatchObject({ cover: 'open', body: 'raised', load: 'full' });
  });

  it('stores a blind-area backlog (0x0704 type 1) as late fixes, and the latest position does not go back', async () => {
    const { terminal, terminalId } = await online('2019');
    expect(await terminal.report({ lat: 36.81, lon: 118.31, fixTimeMs: at(2) })).toBe(0);
    const backlog = [3600, 3590, 3580].map((s, i) => ({ lat: 36.8 + i / 1000, lon: 118.3, fixTimeMs: at(s), speedKmh: 20 }));
    expect(await terminal.reportBatch(1, backlog)).toBe(0);
    const rows = await positions(terminalId);
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(0, 3)) expect(row.received_at.getTime() - row.fix_time.getTime()).toBeGreaterThan(3_000_000);
    const { rows: latest } = await db.query<{ fix_time: Date }>(`SELECT fix_time FROM latest_positions WHERE terminal_id = $1`, [terminalId]);
    expect(latest[0]!.fix_time.getTime()).toBe(rows[3]!.fix_time.getTime());
  });

  it('reassembles a sub-packaged batch and stores it whole', async () => {
    const { terminal, terminalId, phone } = await online('2019');
    const locations = Array.from({ length: 20 }, (_, i) => ({ lat: 36.8, lon: 118.3 + i / 10_000, fixTimeMs: at(600 - i * 10), speedKmh: 30 }));
    const frames = encodeSubpackagedFrames({ messageId: 0x0704, phone, serial: 900, version: '2019' }, encodeBulkLocation(1, locations), 256);
    expect(frames.length).toBeGreaterThan(2);
    const answer = terminal.answerTo(900 + frames.length - 1);
    for (const frame of frames) terminal.writeRaw(frame);
    await answer;
    await waitFor(async () => (await positions(terminalId)).length === 20, 10_000, 'all 20 fixes stored');
  });

  it('refuses a phone number the registry does not know (0x8100 result 4) and records it', async () => {
    const phone = newPhone();
    const terminal = await connect(phone, '2019');
    const registration = await terminal.register({ province: 37, city: 305, makerId: 'X', model: 'Y', terminalId: 'Z', plateColor: 0, plate: '' });
    expect(registration).toEqual({ result: 4, authCode: null });
    await waitFor(async () => (await rejectionsFrom(phone)).some((r) => r.reason === 'terminal_refused' && r.source === 'jt808'), 5000, 'refusal recorded');
  });

  it('refuses reports before authentication and a wrong auth code, recording both', async () => {
    const { phone } = await registryTerminal('2019');
    const terminal = await connect(phone, '2019');
    expect(await terminal.report({ lat: 36.8, lon: 118.3, fixTimeMs: at(1) })).toBe(1);
    expect(await terminal.authenticate('not-the-code')).toBe(1);
    await waitFor(async () => {
      const reasons = (await rejectionsFrom(phone)).map((r) => r.reason);
      return reasons.includes('not_authenticated') && reasons.includes('terminal_refused');
    }, 5000, 'both refusals recorded');
  });

  it('answers an unknown message "not supported", records a bad frame, and keeps serving the connection', async () => {
    const { terminal, terminalId, phone } = await online('2013');
    const unknown = await terminal.request(0x0900, Buffer.from('0102', 'hex'));
    expect(unknown.body[4]).toBe(3);
    const good = encodeFrame({ messageId: 0x0200, phone, serial: 4000, version: '2013' }, encodeLocation({ lat: 36.8, lon: 118.3, fixTimeMs: at(1) }));
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 2] = (checksum(Buffer.from([corrupt[corrupt.length - 2]!])) ^ 0x55) & 0x7c; // a wrong check code, never 0x7d/0x7e
    terminal.writeRaw(corrupt);
    terminal.writeRaw(Buffer.from('7e0000ffff7e', 'hex'));
    expect(await terminal.report({ lat: 36.8, lon: 118.3, fixTimeMs: at(2) })).toBe(0);
    expect(await positions(terminalId)).toHaveLength(1);
    await waitFor(async () => {
      const reasons = (await rejectionsFrom(phone)).map((r) => r.reason);
      return reasons.includes('unknown_message') && reasons.includes('bad_frame');
    }, 5000, 'unknown message and bad frame recorded');
  });

  it('a dispatcher’s command reaches the terminal as JT/T 808 and its 0x0001 acknowledges it', async () => {
    const phone = newPhone();
    const truck = await registerTruck(admin, tag, {}, { sim: phone, protocol: 'jt808-2019', maker: '鸿泉', model: 'HQ-1' });
    const terminal = await connect(phone, '2019');
    const registration = await terminal.register({ province: 37, city: 305, makerId: 'HQ', model: 'HQ-1', terminalId: 'T1', plateColor: 1, plate: truck.plate });
    expect(registration.result).toBe(0);
    const commands: number[] = [];
    terminal.onCommand((message) => {
      commands.push(message.header.messageId);
      return 0;
    });
    expect(await terminal.authenticate(registration.authCode!)).toBe(0);
    const sent = await dispatcher.post<TerminalCommandRecord>(`/api/v1/trucks/${truck.truckId}/commands`, { kind: 'lock', reason: '无有效核准，锁车' });
    expect(sent.status).toBe(201);
    await waitFor(async () => {
      const list = await dispatcher.get<TerminalCommandList>(`/api/v1/trucks/${truck.truckId}/commands`);
      return list.body.items.find((c) => c.id === sent.body.id)?.state === 'acknowledged';
    }, 15_000, 'command acknowledged');
    expect(commands).toContain(0x8105);
  });
});
