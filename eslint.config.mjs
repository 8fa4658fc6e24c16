import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', '.data/**', 'coverage/**', 'bench-results/**', 'tmp/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.vue', '**/*.mjs'],
    rules: {
      // Style rule 1: tags say who may depend on whom.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // Only tests and workspace scripts start the API or the fleet (see the rule below).
          allow: ['@muckwatch/api', '@muckwatch/fleet'],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: [] },
            // libs/jt808: the JT/T 808 codec, pure bytes in and out (at most the wire contracts).
            { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:simulator', onlyDependOnLibsWithTags: ['type:contracts', 'type:data', 'type:protocol'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:data', 'type:protocol'] },
            { sourceTag: 'type:tests', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:data', 'type:app', 'type:simulator', 'type:protocol'] },
          ],
        },
      ],
    },
  },
  // Type-aware rules on all TypeScript (style rule 13).
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts', '**/*.vue'] })),
  {
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  ...vue.configs['flat/recommended'].map((config) => ({ ...config, files: ['apps/web/**/*.vue'] })),
  {
    files: ['apps/web/**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, projectService: true, extraFileExtensions: ['.vue'] },
      globals: { ...globals.browser },
    },
    rules: { 'vue/multi-word-component-names': 'off', 'vue/max-attributes-per-line': 'off', 'vue/singleline-html-element-content-newline': 'off', 'vue/html-self-closing': 'off' },
  },
  {
    files: ['apps/web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['apps/**/*.ts', 'apps/**/*.vue', 'libs/**/*.ts', 'simulators/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@muckwatch/api', message: 'only tests and scripts start the API' }, { name: '@muckwatch/fleet', message: 'only tests and scripts start the fleet' }] }],
    },
  },
  // Style rule 2: the domain is pure.
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', 'mqtt', 'class-validator', 'socket.io*', 'node:*'], message: 'libs/domain is pure: no I/O, no framework' },
          ],
        },
      ],
    },
  },
  // libs/jt808 is a pure codec: no sockets, no framework (Buffer is its only Node API, used as a global).
  {
    files: ['libs/jt808/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@nestjs/*', 'typeorm', 'pg', 'mqtt', 'socket.io*', 'node:*'], message: 'libs/jt808 is pure: bytes in, messages out; no I/O, no framework' }] },
      ],
    },
  },
  {
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*', 'typeorm', 'pg', 'mqtt'], message: 'contracts are wire formats: no ORM, no framework' }] }],
    },
  },
  { files: ['**/*.mjs', 'apps/web/vite.config.ts'], ...tseslint.configs.disableTypeChecked, languageOptions: { globals: { ...globals.node } } },
  {
    files: ['apps/web/vite.config.ts'],
    languageOptions: { parserOptions: { projectService: false, project: null } },
  },
  // Type-aware lint cannot see into .vue modules from .ts files (vue-tsc type-checks those).
  { files: ['apps/web/src/main.ts', 'apps/web/src/router.ts'], rules: { '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' } },
  { files: ['**/*.spec.ts', 'tests/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/unbound-method': 'off' } },
];
