import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerAccount } from '@muckwatch/api';

const DYNSEC_PLUGINS = [
  '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so',
  '/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so',
  '/usr/lib/mosquitto_dynamic_security.so',
  '/usr/local/lib/mosquitto_dynamic_security.so',
];

/** Whether this machine can run our Mosquitto configuration (binary, mosquitto_ctrl, plugin). */
export function mosquittoAvailable(): boolean {
  const run = (cmd: string) => !spawnSync(cmd, ['--help'], { stdio: 'ignore' }).error;
  return run('mosquitto') && run('mosquitto_ctrl') && DYNSEC_PLUGINS.some((path) => existsSync(path));
}

export interface MosquittoProcess {
  url: string;
  port: number;
  /** The dynamic-security admin (what MQTT_DYNSEC_USERNAME / _PASSWORD name in production). */
  admin: BrokerAccount;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function portTaken(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/**
 * Mosquitto with the configuration we ship (docker/mosquitto/mosquitto.conf), dynamic security
 * included, on a loopback port and a temporary data folder. With `anonymous`, clients without
 * credentials may still do anything (through the plugin's anonymous group), so suites written
 * for an open broker run unchanged; terminals with credentials are held to their ACLs either way.
 */
export async function startMosquitto(options: { port: number; anonymous: boolean }): Promise<MosquittoProcess> {
  const { port } = options;
  const dir = await mkdtemp(join(tmpdir(), 'muckwatch-mosquitto-'));
  // Mosquitto started as root drops to the `mosquitto` user: it must read and write the folder.
  await chmod(dir, 0o777);
  const admin = { username: 'dynsec-admin', password: randomBytes(18).toString('base64url') };
  const dynsecFile = join(dir, 'dynamic-security.json');
  const init = spawnSync('mosquitto_ctrl', ['dynsec', 'init', dynsecFile, admin.username, admin.password], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mosquitto_ctrl dynsec init failed: ${init.stderr}`);
  if (options.anonymous) {
    const dynsec = JSON.parse(await readFile(dynsecFile, 'utf8')) as Record<string, unknown> & { roles: unknown[] };
    const acls = ['publishClientSend', 'publishClientReceive', 'subscribePattern', 'unsubscribePattern'].map((acltype) => ({ acltype, topic: '#', allow: true }));
    dynsec.roles.push({ rolename: 'test-anonymous', acls });
    dynsec['groups'] = [{ groupname: 'anonymous', roles: [{ rolename: 'test-anonymous' }] }];
    dynsec['anonymousGroup'] = 'anonymous';
    await writeFile(dynsecFile, JSON.stringify(dynsec, null, 2));
  }
  await chmod(dynsecFile, 0o666);
  const shipped = await readFile('docker/mosquitto/mosquitto.conf', 'utf8');
  const config = shipped
    .replace(/^listener .*$/m, `listener ${port} 127.0.0.1`)
    .replace(/^allow_anonymous .*$/m, `allow_anonymous ${options.anonymous}`)
    .replace(/^plugin .*$/m, `plugin ${DYNSEC_PLUGINS.find((path) => existsSync(path)) ?? 'mosquitto_dynamic_security.so'}`)
    .replace(/^plugin_opt_config_file .*$/m, `plugin_opt_config_file ${dynsecFile}`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`)
    .replace(/^log_dest .*$/m, `log_dest file ${dir}/mosquitto.log`);
  await writeFile(join(dir, 'mosquitto.conf'), config);
  let child: ChildProcess | null = null;
  const launch = async () => {
    const started = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await portTaken(port))) {
      if (started.exitCode !== null) throw new Error(`mosquitto exited with ${started.exitCode} (log: ${dir}/mosquitto.log)`);
      if (Date.now() > deadline) throw new Error('timed out waiting for mosquitto to listen');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const terminate = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    admin,
    async restart() {
      await terminate();
      await launch();
    },
    async stop() {
      await terminate();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
