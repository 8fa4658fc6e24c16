import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const alias = {
  '@muckwatch/contracts': fileURLToPath(new URL('./libs/contracts/src/index.ts', import.meta.url)),
  '@muckwatch/domain': fileURLToPath(new URL('./libs/domain/src/index.ts', import.meta.url)),
  '@muckwatch/linzi': fileURLToPath(new URL('./libs/linzi/src/index.ts', import.meta.url)),
  '@muckwatch/jt808': fileURLToPath(new URL('./libs/jt808/src/index.ts', import.meta.url)),
  '@muckwatch/api': fileURLToPath(new URL('./apps/api/src/index.ts', import.meta.url)),
  '@muckwatch/fleet': fileURLToPath(new URL('./simulators/fleet/src/index.ts', import.meta.url)),
};

// NestJS needs decorator metadata, which esbuild does not emit: SWC compiles the TypeScript.
const plugins = [swc.vite({ tsconfigFile: './tsconfig.json', jsc: { target: 'es2022' } })];

export default defineConfig({
  plugins,
  resolve: { alias },
  test: {
    env: { TZ: 'UTC' },
    teardownTimeout: 60_000,
    projects: [
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'unit',
          env: { TZ: 'UTC' },
          include: ['libs/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', 'simulators/**/*.spec.ts'],
          environment: 'node',
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'integration',
          env: { TZ: 'UTC' },
          include: ['tests/**/*.int.spec.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
