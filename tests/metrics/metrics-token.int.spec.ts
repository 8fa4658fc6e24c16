import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '@muckwatch/api';
import { startTestApi } from '../support/test-api.js';

/** /metrics behind METRICS_TOKEN, the token read from a file as docker secrets mount it. */
describe('metrics token', () => {
  const token = randomBytes(24).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'muckwatch-metrics-'));
  let api: RunningApi;

  beforeAll(async () => {
    const file = join(dir, 'metrics_token');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    api = await startTestApi({ METRICS_TOKEN_FILE: file });
  });

  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scrape = (authorization?: string): Promise<Response> =>
    fetch(`${api.url}/metrics`, authorization === undefined ? {} : { headers: { authorization } });

  it('answers the scraper that shows the bearer token', async () => {
    const res = await scrape(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('muckwatch_ingest_fixes_total');
  });

  it('refuses with 401 and no metrics: no header, a wrong token, another scheme, an oversized header', async () => {
    for (const authorization of [undefined, `Bearer ${token}x`, 'Bearer ', `Basic ${token}`, `Bearer ${'a'.repeat(600)}`, token]) {
      const res = await scrape(authorization);
      const body = await res.text();
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect(JSON.parse(body)).toMatchObject({ statusCode: 401, code: 'http.401' });
      expect(body).not.toContain('muckwatch_');
    }
  });

  it('keeps health public for the load balancer', async () => {
    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
  });
});
