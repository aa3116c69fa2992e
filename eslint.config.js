// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const deepImport = {
  group: ['@tether/*/src', '@tether/*/src/**', '**/packages/*/src/**'],
  message: 'Only a package index is public: import from "@tether/<name>", never its src/.',
};
const nodeBuiltins = {
  group: [
    'node:*',
    'fs',
    'path',
    'http',
    'https',
    'net',
    'crypto',
    'events',
    'stream',
    'url',
    'os',
    'buffer',
  ],
  message: 'This code runs in browsers too: reach the platform only through the injected Platform.',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.tools/**',
      'coverage/**',
      '**/*.d.ts',
      'examples/chat/public/vendor/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            '*.ts',
            'scripts/*.mjs',
            'packages/*/*.mjs',
            'packages/*/bin/*.mjs',
          ],
        },
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/only-throw-error': 'error',
      'no-restricted-imports': ['error', { patterns: [deepImport] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['packages/protocol/src/**/*.ts'],
    ignores: ['packages/protocol/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            deepImport,
            nodeBuiltins,
            {
              regex: '^(?!\\.)',
              message: '@tether/protocol has zero runtime dependencies and no I/O: only relative imports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'setTimeout',
          'setInterval',
          'WebSocket',
          'fetch',
          'EventSource',
          'window',
          'document',
          'process',
          'Buffer',
          'localStorage',
        ].map((name) => ({ name, message: 'Protocol holds no I/O, timers or platform globals.' })),
      ],
    },
  },
  {
    files: ['packages/server/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [deepImport],
          paths: [
            {
              name: '@tether/client',
              message: 'Arrows point at protocol: server and client never import each other.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/client/src/**/*.ts'],
    ignores: [
      'packages/client/src/node.ts',
      'packages/client/src/platform/node-platform.ts',
      'packages/client/src/**/*.test.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [deepImport, nodeBuiltins],
          paths: [
            {
              name: '@tether/server',
              message: 'Arrows point at protocol: server and client never import each other.',
            },
            { name: 'ws', message: 'Node-only: import it only in platform/node-platform.ts.' },
            { name: 'eventsource', message: 'Node-only: import it only in platform/node-platform.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', 'packages/e2e/**/*.ts', 'packages/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    // TypeScript resolves names itself; no-undef only misfires on types and globals.
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
