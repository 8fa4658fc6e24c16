import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCases } from '@muckwatch/api';
import { CASE_STATES, type DepartmentPerformance, type ViolationDetail, type ViolationPage } from '@muckwatch/contracts';
import { signInAs } from '../support/api-client.js';
import { demoDatabase } from '../support/demo-database.js';
import { startTestApi } from '../support/test-api.js';

// `npm start` seeds a month of demo cases so a newcomer's violations page, an officer's inbox and
// the departments' handling times are not empty; they must be real cases the API serves like any.
describe('demo case history', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let database: Awaited<ReturnType<typeof demoDatabase>>;
  let seeded = 0;

  beforeAll(async () => {
    database = await demoDatabase();
    api = await startTestApi({ ...database.env, SEED_DEMO: 'true' });
    seeded = await seedDemoCases(api.app.get(DataSource), Date.now());
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('seeds once, cases in every state the workflow reaches, each with its timeline', async () => {
    expect(seeded).toBeGreaterThanOrEqual(40);
    expect(await seedDemoCases(api.app.get(DataSource), Date.now())).toBe(0);
    const dispatcher = await signInAs(api, 'dispatcher');
    const page = await dispatcher.get<ViolationPage>(`/api/v1/violations?from=${new Date(Date.now() - 40 * 86_400_000).toISOString()}&pageSize=500`);
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(seeded);
    const states = new Set(page.body.items.map((v) => v.caseState));
    for (const state of CASE_STATES.filter((s) => s !== 'returned')) expect(states, state).toContain(state);
    expect(page.body.items.some((v) => v.overdue)).toBe(true);
    const closed = page.body.items.find((v) => v.caseState === 'closed')!;
    const detail = await dispatcher.get<ViolationDetail>(`/api/v1/violations/${encodeURIComponent(closed.id)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['confirm', 'assign', 'handle', 'close']));
    expect(detail.body.context.truck?.plate).toBe(closed.plate);
    expect(detail.body.evidence?.geometry.coordinates.length).toBeGreaterThan(1);
    // A seeded case moves on like any other.
    const fresh = page.body.items.find((v) => v.caseState === 'new')!;
    const confirmed = await dispatcher.post<ViolationDetail>(`/api/v1/violations/${encodeURIComponent(fresh.id)}/transitions`, { action: 'confirm', version: fresh.version });
    expect(confirmed.status).toBe(200);
  });

  it("fills an officer's inbox and the departments' handling times", async () => {
    const officer = await signInAs(api, 'enforcement_officer', { department: 'urban-management' });
    const inbox = await officer.get<ViolationPage>(`/api/v1/violations?from=${new Date(Date.now() - 40 * 86_400_000).toISOString()}&pageSize=500`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.total).toBeGreaterThan(0);
    for (const v of inbox.body.items) expect(v.departmentCode).toBe('urban-management');
    const admin = await signInAs(api, 'admin');
    const performance = await admin.get<DepartmentPerformance[]>(`/api/v1/departments/performance?from=${new Date(Date.now() - 40 * 86_400_000).toISOString()}`);
    expect(performance.status).toBe(200);
    const handled = performance.body.filter((d) => d.handled > 0);
    expect(handled.length).toBeGreaterThanOrEqual(2);
    for (const d of handled) expect(d.medianHandlingHours).toBeGreaterThan(0);
  });
});
