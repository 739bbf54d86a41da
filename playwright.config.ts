import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './src/cli/chromium';

const port = Number(process.env.GENGRAPH_E2E_PORT ?? 5199);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
  webServer: [
    {
      command: `npx vite --port ${port} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${port}`,
      reuseExistingServer: false,
      timeout: 120_000,
    },
    // The production build, as `vite build` makes it and `vite preview` serves it (e2e/production.spec.ts).
    {
      command: `npx vite build --outDir dist-e2e --emptyOutDir --logLevel error && npx vite preview --outDir dist-e2e --port ${port + 1} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${port + 1}`,
      reuseExistingServer: false,
      timeout: 300_000,
    },
  ],
});
