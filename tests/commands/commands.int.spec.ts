import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  commandsTopic,
  renderApiError,
  type ApiError,
  type ConstructionSite,
  type ControlPolicySettings,
  type DisposalSite,
  type TelemetryFix,
  type TerminalCommandList,
  type TerminalCommandRecord,
} from '@muckwatch/contracts';
import { type ApiClient, signInAdmin, signInAs } from '../support/api-client.js';
import { FakeTerminal, registerTruck, type CommandTruck } from '../support/command-fixtures.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/**
 * Remote control end to end on the API's own (embedded, authenticating) broker: terminals connect
 * with their registry credentials, may read only their own commands topic, and answer on their
 * own response topic. An attempt waits 1.5 s for the answer, 2 attempts, then timed_out.
 */
describe('terminal commands (智能管控)', () => {
  let api: TestApi;
  let db: pg.Pool;
  let admin: ApiClient;
  let dispatcher: ApiClient;
  let brokerUrl: string;
  const tag = uniqueTag();
  const terminals: FakeTerminal[] = [];

  const terminalOf = async (truck: CommandTruck, answer: FakeTerminal['answer'] = 'acknowledged'): Promise<FakeTerminal> => {
    const terminal = new FakeTerminal(brokerUrl, truck.terminalId, truck.password);
    terminal.answer = answer;
    terminals.push(terminal);
    await terminal.connect();
    return terminal;
  };
  const commandsOf = async (truck: CommandTruck): Promise<TerminalCommandRecord[]> =>
    (await dispatcher.get<TerminalCommandList>(`/api/v1/trucks/${truck.truckId}/commands`)).body.items;
  const commandOf = async (truck: CommandTruck, id: string): Promise<TerminalCommandRecord | undefined> => (await commandsOf(truck)).find((c) => c.id === id);
  const until = async (truck: CommandTruck, id: string, state: TerminalCommandRecord['state'], timeoutMs = 15_000): Promise<TerminalCommandRecord> => {
    await waitFor(async () => (await commandOf(truck, id))?.state === state, timeoutMs, `command ${id} ${state}`);
    return (await commandOf(truck, id))!;
  };
  const send = async (truck: CommandTruck, body: unknown, as: ApiClient = dispatcher) => as.post<TerminalCommandRecord>(`/api/v1/trucks/${truck.truckId}/commands`, body);

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    api = await startTestApi({
      MQTT_URL: '',
      EMBEDDED_MQTT_PORT: '0',
      INGEST_CONNECTIONS: '1',
      INGEST_SHARED_SUBSCRIPTION: 'false',
      COMMAND_TIMEOUT_MS: '1500',
      COMMAND_ATTEMPTS: '2',
      COMMAND_SWEEP_MS: '300',
      FIX_MAX_FUTURE_SECONDS: '3600',
    });
    brokerUrl = api.infra.mqttUrl;
    admin = await signInAdmin(api);
    dispatcher = await signInAs(api, 'dispatcher');
  });

  afterAll(async () => {
    await Promise.all(terminals.map((t) => t.disconnect()));
    await admin?.put('/api/v1/control-policies', { enabled: { lift_outside_disposal: false, speed_cap_cover_open: false, lock_unlicensed: false } });
    await api?.close();
    await db?.end();
  });

  it('a lock the terminal acknowledges: sent, then 已确认, with who and why, audited', async () => {
    const truck = await registerTruck(dispatcher, tag);
    const terminal = await terminalOf(truck);
    const res = await send(truck, { kind: 'lock', reason: '未按核准路线行驶，锁车待查' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'lock', origin: 'manual', policy: null, issuedBy: dispatcher.user.username, truckId: truck.truckId, plate: truck.plate });
    const done = await until(truck, res.body.id, 'acknowledged');
    expect(done).toMatchObject({ attempts: 1, door: 'mqtt', reason: '未按核准路线行驶，锁车待查' });
    expect(done.acknowledgedAt).not.toBeNull();
    expect(terminal.received).toEqual([expect.objectContaining({ commandId: res.body.id, kind: 'lock', attempt: 1 })]);
    const audit = await db.query<{ actor_username: string; after: { kind: string; reason: string } }>(
      `SELECT actor_username, after FROM audit_log WHERE action = 'command.issue' AND resource_id = $1`,
      [res.body.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor_username: dispatcher.user.username, after: { kind: 'lock', reason: '未按核准路线行驶，锁车待查' } });
  });

  it('a silent terminal: retried, then 超时 (timed_out) after the last attempt', async () => {
    const truck = await registerTruck(dispatcher, tag);
    const terminal = await terminalOf(truck, null);
    const res = await send(truck, { kind: 'speed_cap', params: { speedKmh: 30 }, reason: '城区限速' });
    const done = await until(truck, res.body.id, 'timed_out');
    expect(done.attempts).toBe(2);
    expect(terminal.received.map((c) => c.attempt)).toEqual([1, 2]);
    expect(terminal.received[0]).toMatchObject({ kind: 'speed_cap', params: { speedKmh: 30 } });
  });

  it('a refusal is recorded with the terminal\'s detail', async () => {
    const truck = await registerTruck(dispatcher, tag);
    await terminalOf(truck, 'unsupported');
    const res = await send(truck, { kind: 'display_text', params: { text: '请到指定消纳场倾倒' }, reason: '提醒司机' });
    const done = await until(truck, res.body.id, 'unsupported');
    expect(done).toMatchObject({ attempts: 1, answerDetail: 'terminal says unsupported', params: { text: '请到指定消纳场倾倒' } });
  });

  it('an offline terminal gets its pending command when it comes back; a newer one of the family supersedes the older', async () => {
    const truck = await registerTruck(dispatcher, tag);
    const older = await send(truck, { kind: 'display_text', params: { text: '旧通知' }, reason: '通知' });
    const newer = await send(truck, { kind: 'display_text', params: { text: '新通知' }, reason: '通知' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await commandOf(truck, older.body.id))?.state).toBe('superseded');
    expect((await commandOf(truck, newer.body.id))?.state).toBe('pending');
    const terminal = await terminalOf(truck);
    await until(truck, newer.body.id, 'acknowledged');
    expect(terminal.received.map((c) => c.params.text)).toEqual(['新通知']);
  });

  it('a command not delivered before it expires is 已过期 and never sent', async () => {
    const truck = await registerTruck(dispatcher, tag);
    const res = await send(truck, { kind: 'lift_inhibit', reason: '禁止举升', ttlMinutes: 1 });
    // An hour passes (the lifetime is in the row: move it rather than wait a minute).
    await db.query(`UPDATE terminal_commands SET expires_at = now() - interval '1 second' WHERE id = $1`, [res.body.id]);
    await until(truck, res.body.id, 'expired');
    const terminal = await terminalOf(truck);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(terminal.received).toEqual([]);
  });

  it('a release marks the restriction released by whom and when, and is sent as its own command', async () => {
    const truck = await registerTruck(dispatcher, tag);
    const terminal = await terminalOf(truck);
    const lock = await send(truck, { kind: 'lock', reason: '锁车' });
    await until(truck, lock.body.id, 'acknowledged');
    const release = await dispatcher.post<TerminalCommandRecord>(`/api/v1/commands/${lock.body.id}/release`, { reason: '核查无误，解锁' });
    expect(release.status, JSON.stringify(release.body)).toBe(201);
    expect(release.body).toMatchObject({ kind: 'unlock', reason: '核查无误，解锁' });
    await until(truck, release.body.id, 'acknowledged');
    expect(await commandOf(truck, lock.body.id)).toMatchObject({ releasedBy: dispatcher.user.username, releasedByCommand: release.body.id });
    expect(terminal.received.map((c) => c.kind)).toEqual(['lock', 'unlock']);
    const again = await dispatcher.post<ApiError>(`/api/v1/commands/${lock.body.id}/release`, { reason: '再解一次' });
    expect(again.body).toMatchObject({ statusCode: 409, code: 'command.already_released' });
    const notRestriction = await dispatcher.post<ApiError>(`/api/v1/commands/${release.body.id}/release`, { reason: 'x' });
    expect(notRestriction.body).toMatchObject({ statusCode: 409, code: 'command.not_releasable' });
    expect((await db.query(`SELECT 1 FROM audit_log WHERE action = 'command.release' AND resource_id = $1`, [release.body.id])).rowCount).toBe(1);
  });

  it('only dispatchers and admins send; auditors read; town officials and enforcement officers neither', async () => {
    const truck = await registerTruck(dispatcher, tag);
    for (const role of ['town_official', 'enforcement_officer', 'auditor'] as const) {
      const user = await signInAs(api, role);
      const res = await send(truck, { kind: 'lock', reason: '越权测试' }, user);
      expect(res.status, role).toBe(403);
      const read = await user.get(`/api/v1/trucks/${truck.truckId}/commands`);
      expect(read.status, role).toBe(role === 'auditor' ? 200 : 403);
      expect((await user.put('/api/v1/control-policies', { coverOpenSpeedKmh: 20 })).status).toBe(403);
    }
    expect((await send(truck, { kind: 'display_text', params: { text: '管理员通知' }, reason: '通知' }, admin)).status).toBe(201);
    expect((await dispatcher.get('/api/v1/control-policies')).status).toBe(403);
  });

  it('bad bodies: 400 naming the field, in zh-CN', async () => {
    const truck = await registerTruck(dispatcher, tag);
    const cases: Array<[unknown, string]> = [
      [{ kind: 'lock' }, 'reason'],
      [{ kind: 'lock', reason: '   ' }, 'reason'],
      [{ kind: 'lock', reason: 'x'.repeat(501) }, 'reason'],
      [{ kind: 'explode', reason: 'x' }, 'kind'],
      [{ kind: 'speed_cap', reason: 'x' }, 'params'],
      [{ kind: 'speed_cap', reason: 'x', params: { speedKmh: 500 } }, 'params.speedKmh'],
      [{ kind: 'display_text', reason: 'x', params: { text: '字'.repeat(201) } }, 'params.text'],
      [{ kind: 'lock', reason: 'x', sudo: true }, 'sudo'],
      [[], 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await send(truck, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = res.body as unknown as ApiError;
      expect(error.field, JSON.stringify(body)).toBe(field);
      expect(renderApiError(error, 'zh-CN')).not.toBe(error.message);
    }
    expect((await dispatcher.get('/api/v1/trucks/not-a-uuid/commands')).status).toBe(400);
    expect((await send({ ...truck, truckId: '00000000-0000-4000-8000-000000000000' }, { kind: 'lock', reason: 'x' })).body).toMatchObject({ statusCode: 404, code: 'command.truck_not_found' });
    expect((await dispatcher.post('/api/v1/commands/00000000-0000-4000-8000-000000000000/release', { reason: 'x' })).status).toBe(404);
    const settings = await admin.put<ApiError>('/api/v1/control-policies', { coverOpenSpeedKmh: 1 });
    expect(settings.body).toMatchObject({ statusCode: 400, field: 'coverOpenSpeedKmh' });
  });

  it("a terminal cannot read another terminal's commands, nor answer for it", async () => {
    const mine = await registerTruck(dispatcher, tag);
    const other = await registerTruck(dispatcher, tag);
    const spy = await mqtt.connectAsync(brokerUrl, { clientId: mine.terminalId, username: mine.terminalId, password: mine.password, clean: true, reconnectPeriod: 0 });
    try {
      expect((await spy.subscribeAsync(commandsTopic(mine.terminalId), { qos: 1 }))[0]?.qos).toBe(1);
      for (const topic of [commandsTopic(other.terminalId), 'muckwatch/v1/terminals/+/commands', 'muckwatch/v1/terminals/#']) {
        await expect(spy.subscribeAsync(topic, { qos: 1 }), topic).rejects.toThrow();
      }
    } finally {
      await spy.endAsync(true);
    }
    // The other terminal, silent, gets a command; nobody else can acknowledge it.
    await terminalOf(other, null);
    const res = await send(other, { kind: 'lock', reason: '锁车' });
    const liar = await mqtt.connectAsync(brokerUrl, { clientId: mine.terminalId, username: mine.terminalId, password: mine.password, clean: true, reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => liar.once('close', () => resolve()));
    liar.publish(`muckwatch/v1/terminals/${other.terminalId}/command-responses`, JSON.stringify({ commandId: res.body.id, outcome: 'acknowledged' }), { qos: 1 });
    await closed;
    await until(other, res.body.id, 'timed_out');
  });

  describe('control policies', () => {
    let site: DisposalSite;
    let truck: CommandTruck;
    let terminal: FakeTerminal;
    const outside: [number, number] = [118.421, 36.861];

    // Each batch two minutes after the last: the drive between the places is a plausible one.
    let clock = Date.now();
    const fixesAt = ([lon, lat]: [number, number], state: Partial<TelemetryFix>, count = 2): TelemetryFix[] => {
      clock += 120_000;
      return fixesFrom(clock, [lon, lat], state, count);
    };
    const fixesFrom = (start: number, [lon, lat]: [number, number], state: Partial<TelemetryFix>, count: number): TelemetryFix[] =>
      Array.from({ length: count }, (_, i) => ({ ts: new Date(start + i * 1000).toISOString(), lon: lon + i * 0.00001, lat, speedKmh: 20, headingDeg: 90, valid: true, satellites: 10, hdop: 1, ...state }));

    beforeAll(async () => {
      truck = await registerTruck(dispatcher, tag);
      const half = 0.002;
      const [lon, lat] = [118.431, 36.871];
      const square = { type: 'Polygon', coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]] };
      site = (await dispatcher.post<DisposalSite>('/api/v1/disposal-sites', { name: `管控消纳场-${tag}`, status: 'licensed', geometry: square })).body;
      const cs = (await dispatcher.post<ConstructionSite>('/api/v1/construction-sites', { name: `管控工地-${tag}`, geometry: { ...square, coordinates: [square.coordinates[0]!.map(([x, y]) => [x! - 0.02, y!])] } })).body;
      const today = new Date().toISOString().slice(0, 10);
      const approval = await dispatcher.post('/api/v1/approvals', {
        number: `管控核-${tag}`,
        constructionSiteId: cs.id,
        companyId: truck.companyId,
        validFrom: '2026-01-01',
        validTo: today > '2027-12-31' ? today : '2027-12-31',
        truckIds: [truck.truckId],
        disposalSiteIds: [site.id],
      });
      expect(approval.status, JSON.stringify(approval.body)).toBe(201);
      terminal = await terminalOf(truck);
      const on = await admin.put<ControlPolicySettings>('/api/v1/control-policies', { enabled: { speed_cap_cover_open: true, lift_outside_disposal: true }, coverOpenSpeedKmh: 25 });
      expect(on.status, JSON.stringify(on.body)).toBe(200);
      expect(on.body.policies.find((p) => p.policy === 'speed_cap_cover_open')).toMatchObject({ enabled: true, updatedBy: admin.user.username });
      expect((await db.query(`SELECT 1 FROM audit_log WHERE action = 'control_policy.update' AND actor_username = $1`, [admin.user.username])).rowCount).toBeGreaterThan(0);
    });

    const policyCommands = async () => (await commandsOf(truck)).filter((c) => c.origin === 'policy');

    it('cover open → speed capped at the configured km/h, once; outside its disposal site → lift inhibited', async () => {
      await terminal.publishFixes(fixesAt(outside, { cover: 'open', body: 'down' }));
      await waitFor(async () => (await policyCommands()).filter((c) => c.state === 'acknowledged').length === 2, 15_000, 'speed cap and lift inhibit acknowledged');
      await terminal.publishFixes(fixesAt(outside, { cover: 'open', body: 'raised' }, 3));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const commands = await policyCommands();
      expect(commands.map((c) => [c.kind, c.policy]).sort()).toEqual([
        ['lift_inhibit', 'lift_outside_disposal'],
        ['speed_cap', 'speed_cap_cover_open'],
      ]);
      expect(commands.find((c) => c.kind === 'speed_cap')!.params).toEqual({ speedKmh: 25 });
      expect(terminal.received.filter((c) => c.kind === 'speed_cap')).toHaveLength(1);
    });

    it('cover closed and inside the designated site → both released by the policy', async () => {
      await terminal.publishFixes(fixesAt([118.431, 36.871], { cover: 'closed', body: 'raised' }));
      await waitFor(async () => (await policyCommands()).filter((c) => ['speed_release', 'lift_release'].includes(c.kind) && c.state === 'acknowledged').length === 2, 15_000, 'releases acknowledged');
      const commands = await policyCommands();
      for (const kind of ['speed_cap', 'lift_inhibit']) {
        expect(commands.find((c) => c.kind === kind)?.releasedBy).toMatch(/^policy:/);
      }
    });

    const liftInForce = async () => (await policyCommands()).filter((c) => c.kind === 'lift_inhibit' && c.releasedAt === null && c.state === 'acknowledged');

    it("a dispatcher's release of a policy's restriction holds until the condition ends", async () => {
      await terminal.publishFixes(fixesAt(outside, { cover: 'closed', body: 'down' }));
      await waitFor(async () => (await liftInForce()).length === 1, 15_000, 'lift inhibited again');
      const [inhibit] = await liftInForce();
      const released = await dispatcher.post<TerminalCommandRecord>(`/api/v1/commands/${inhibit!.id}/release`, { reason: '现场核实，人工放行' });
      expect(released.status).toBe(201);
      await until(truck, released.body.id, 'acknowledged');
      const inhibits = (await policyCommands()).filter((c) => c.kind === 'lift_inhibit').length;
      await terminal.publishFixes(fixesAt(outside, { cover: 'closed', body: 'down' }));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await policyCommands()).filter((c) => c.kind === 'lift_inhibit')).toHaveLength(inhibits);
      // Inside its site the override ends; outside again, the policy acts again.
      await terminal.publishFixes(fixesAt([118.431, 36.871], { cover: 'closed', body: 'down' }));
      await terminal.publishFixes(fixesAt(outside, { cover: 'closed', body: 'down' }));
      await waitFor(async () => (await liftInForce()).length === 1, 15_000, 'lift inhibited once more');
    });

    it('a policy switched off lifts what it put in force', async () => {
      await waitFor(async () => (await liftInForce()).length === 1, 15_000, 'lift inhibited');
      await admin.put('/api/v1/control-policies', { enabled: { lift_outside_disposal: false } });
      await waitFor(async () => (await policyCommands()).filter((c) => c.kind === 'lift_inhibit').every((c) => c.releasedAt !== null), 15_000, 'lift released');
    });
  });
});
