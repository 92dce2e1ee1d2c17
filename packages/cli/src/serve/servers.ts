/** The framework integrations `httpsig serve --framework` can run. */
import type { ServerFactory } from './types';
import { startWebServer } from './web';

export const servers: Readonly<Record<string, ServerFactory>> = {
  web: startWebServer,
};

export const frameworkNames = Object.keys(servers);
