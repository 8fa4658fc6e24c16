import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { TruckPosition } from '@muckwatch/contracts';
import { ClusterBus, DomainEvents, MessageAssembler, MetricsService, clusterChannel, loadApiConfig, type Infrastructure } from '@muckwatch/api';
import { uniqueTag, waitFor } from '../support/test-api.js';

/**
 * The cluster bus on a real PostgreSQL, without an API around it: what it puts on the channel is
 * what another instance would hear. (The embedded database is one process: no bus.)
 */
describe.skipIf(inject('databaseKind') !== 'postgresql')('cluster bus', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('sends a city’s live batch as several events of a bounded size, every position once', async () => {
    const clusterName = `bus-${uniqueTag()}`;
    const databaseUrl = inject('databaseUrl');
    const config = loadApiConfig({ DATABASE_URL: databaseUrl, MQTT_URL: 'mqtt://127.0.0.1:1', CLUSTER_NAME: clusterName, INSTANCE_ID: 'bus-test' });
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    cleanup.push(() => pool.end());
    const events = new DomainEvents();
    const bus = new ClusterBus(config, { databaseUrl } as Infrastructure, pool, events, new MetricsService());
    await bus.onApplicationBootstrap();
    cleanup.push(() => bus.onApplicationShutdown());

    // Another instance's ear: a plain LISTEN, put together as the bus does it.
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    cleanup.push(() => other.end());
    const assembler = new MessageAssembler();
    const heard: Array<{ name: string; count: number }> = [];
    other.on('notification', (n) => {
      const message = n.payload ? assembler.accept(n.payload, 'another instance', Date.now()) : null;
      if (message) heard.push({ name: message.name, count: (message.payload as { positions: unknown[] }).positions.length });
    });
    await other.query(`LISTEN ${clusterChannel(clusterName)}`);

    const positions = Array.from({ length: 11_000 }, (_, i) => ({ terminalId: `BUS${i}`, plate: `鲁C${String(i).padStart(5, '0')}`, lat: 36.8, lon: 118.3 }) as unknown as TruckPosition);
    events.publish('live.positions', { positions });
    await waitFor(() => heard.reduce((s, h) => s + h.count, 0) >= 11_000, 20_000, 'every position heard');
    expect(heard.every((h) => h.name === 'live.positions' && h.count <= 2_000)).toBe(true);
    expect(heard.reduce((s, h) => s + h.count, 0)).toBe(11_000);
    expect(heard).toHaveLength(6);
  });
});
