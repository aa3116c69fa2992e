import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Tests import workspace packages from source, so no build is needed before `vitest`. */
const alias = {
  '@tether/protocol': here('./packages/protocol/src/index.ts'),
  '@tether/server': here('./packages/server/src/index.ts'),
  '@tether/client': here('./packages/client/src/node.ts'),
};

const project = (
  name: string,
  include: string[],
  extra: { testTimeout?: number; fileParallelism?: boolean } = {},
) => ({
  resolve: { alias },
  test: { name, include, environment: 'node', testTimeout: extra.testTimeout ?? 10_000, ...extra },
});

export default defineConfig({
  test: {
    projects: [
      project('protocol', ['packages/protocol/src/**/*.test.ts', 'packages/protocol/test/**/*.test.ts']),
      project('server', ['packages/server/src/**/*.test.ts', 'packages/server/test/**/*.test.ts'], {
        testTimeout: 20_000,
      }),
      project('client', ['packages/client/src/**/*.test.ts', 'packages/client/test/**/*.test.ts'], {
        testTimeout: 20_000,
      }),
      project('e2e', ['packages/e2e/test/**/*.test.ts', 'packages/e2e/regression/**/*.test.ts'], {
        testTimeout: 60_000,
      }),
      project('browser', ['packages/e2e/browser/**/*.test.ts', 'examples/chat/test/**/*.test.ts'], {
        testTimeout: 120_000,
        fileParallelism: false,
      }),
      project('bench', ['packages/bench/src/**/*.test.ts', 'packages/bench/test/**/*.test.ts'], {
        testTimeout: 120_000,
      }),
    ],
  },
});
