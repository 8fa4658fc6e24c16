import { createServer, type AddressInfo } from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import { afterEach, describe, expect, it } from 'vitest';
import { connectTerminalClient } from './terminal-client.js';

describe('a simulated terminal connecting', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('keeps retrying after CONNACK "server unavailable" (a broker still booting), as real terminals do', async () => {
    const broker = await Aedes.createBroker();
    let refusals = 0;
    broker.authenticate = (_client, _username, _password, done) => {
      if (refusals < 3) {
        refusals += 1;
        return done(Object.assign<Error, Pick<AuthenticateError, 'returnCode'>>(new Error('server unavailable'), { returnCode: 3 }), false);
      }
      done(null, true);
    };
    const server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const { port } = server.address() as AddressInfo;

    const client = await connectTerminalClient(`mqtt://127.0.0.1:${port}`, { clientId: 'T-retry', reconnectPeriod: 50 });
    cleanup.push(() => client.endAsync());
    expect(refusals).toBe(3);
    expect(client.connected).toBe(true);
  });
});
