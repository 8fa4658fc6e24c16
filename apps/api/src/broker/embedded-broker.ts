import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * An in-process MQTT 3.1.1/5 broker (Aedes) for running without Mosquitto. Sessions and QoS 1
 * messages are kept in memory: a restart of the API loses what the broker had queued, which is
 * why production runs an external broker with persistence (docker/mosquitto).
 */
export async function startEmbeddedBroker(options: { host: string; port: number }): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({ maxClientsIdLength: 64 });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return {
    url: `mqtt://${options.host}:${port}`,
    port,
    async stop() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
