import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const lib = (path: string): string => fileURLToPath(new URL(`../../libs/${path}`, import.meta.url));

/** Where the dev server and `vite preview` forward /api and the live socket. */
const apiUrl = process.env['MUCKWATCH_API_URL'] ?? 'http://127.0.0.1:3000';

/** Our libraries run no code on import that the console relies on (contracts compiles its JSON Schema
 * validator at load, which only the API uses): let the bundler drop whatever the console does not use. */
const LIBS_SOURCE = /[\\/]libs[\\/](contracts|domain|linzi)[\\/]src[\\/]/;

const proxy = {
  '/api': { target: apiUrl, changeOrigin: true },
  '/socket.io': { target: apiUrl, changeOrigin: true, ws: true },
};

export default defineConfig({
  root: webRoot,
  plugins: [vue()],
  define: {
    // vue-i18n's esm-bundler flags: Composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  resolve: {
    alias: {
      '@muckwatch/contracts': lib('contracts/src/index.ts'),
      '@muckwatch/domain': lib('domain/src/index.ts'),
      '@muckwatch/linzi': lib('linzi/src/index.ts'),
    },
  },
  server: { host: '127.0.0.1', port: 4200, proxy },
  preview: { host: '127.0.0.1', port: 4300, proxy },
  // Web Workers (the replay's track decoder) are bundled on their own: the same tree-shaking of our libraries.
  worker: { format: 'es', rollupOptions: { treeshake: { moduleSideEffects: (id) => !LIBS_SOURCE.test(id) } } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      treeshake: { moduleSideEffects: (id) => !LIBS_SOURCE.test(id) },
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          // Geoman runs against the global L once the console has set it (registry/map/geoman.ts).
          if (id.includes('node_modules/@geoman-io')) return 'geoman';
          if (id.includes('node_modules/leaflet')) return 'leaflet';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
});
