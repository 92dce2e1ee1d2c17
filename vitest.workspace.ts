import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The test projects: every package's tests in Node, and the portable ones again in headless Chromium. */
export const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      name: 'node',
      include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
      exclude: ['packages/*/test/**/*.browser.test.ts'],
      environment: 'node',
    },
  },
  {
    extends: true,
    test: {
      name: 'browser',
      include: ['packages/*/test/**/*.portable.test.ts', 'packages/*/test/**/*.browser.test.ts'],
      // A verifying server in Node that browser tests reach over CORS (inject('verifyingServerOrigin')).
      globalSetup: ['./test-support/global-setup.ts'],
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        instances: [{ browser: 'chromium' }],
        provider: playwright({
          launchOptions: {
            executablePath: chromiumPath,
            args: [
              '--headless',
              '--no-sandbox',
              '--disable-gpu',
              '--disable-quic',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
              '--no-first-run',
            ],
          },
        }),
      },
    },
  },
];
