import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RejectionsResponse } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { signInAdmin, type ApiClient } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

describe('GET /rejections: reason filter and paging', () => {
  let api: RunningApi;
  let admin: ApiClient;
  let db: pg.Pool;
  const terminal = `RF-${uniqueTag()}`.slice(0, 32);

  beforeAll(async () => {
    api = await startTestApi();
    admin = await signInAdmin(api);
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    const now = Date.now();
    for (let i = 0; i < 7; i++) {
      await db.query(
        `INSERT INTO rejections (received_at, terminal_id, topic, reason, detail, payload) VALUES ($1, $2, 't', $3, 'd', '{}')`,
        [new Date(now - 60_000 - i * 1000), terminal, i < 5 ? 'zero_position' : 'bad_timestamp'],
      );
    }
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('filters by reason and pages by offset, with the total', async () => {
    const first = await admin.get<RejectionsResponse>(`/api/v1/rejections?terminalId=${terminal}&reason=zero_position&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 5, offset: 0, limit: 2, truncated: true });
    expect(first.body.rejections.map((r) => r.reason)).toEqual(['zero_position', 'zero_position']);
    const last = await admin.get<RejectionsResponse>(`/api/v1/rejections?terminalId=${terminal}&reason=zero_position&limit=2&offset=4`);
    expect(last.body).toMatchObject({ total: 5, offset: 4, truncated: false });
    expect(last.body.rejections).toHaveLength(1);
    const all = await admin.get<RejectionsResponse>(`/api/v1/rejections?terminalId=${terminal}`);
    expect(all.body.total).toBe(7);
  });

  it('refuses an unknown reason or an offset out of bounds with a stable code', async () => {
    const reason = await admin.get<{ code: string; field: string; params: { allowed: string[] } }>('/api/v1/rejections?reason=nope');
    expect(reason.status).toBe(400);
    expect(reason.body).toMatchObject({ code: 'rejections.reason_invalid', field: 'reason' });
    expect(reason.body.params.allowed).toContain('zero_position');
    const offset = await admin.get('/api/v1/rejections?offset=100001');
    expect(offset.status).toBe(400);
    expect(offset.body).toMatchObject({ code: 'input.int_out_of_range', params: { field: 'offset', min: 0, max: 100000 } });
  });
});
