/** The client stacks `httpsig fetch --client` can send through. */
import { axiosClient } from './client-axios';
import { fetchClient } from './client-fetch';
import { httpClient } from './client-http';
import { undiciClient } from './client-undici';
import type { SigningClient } from './types';

export const clients: Readonly<Record<string, SigningClient>> = {
  fetch: fetchClient,
  axios: axiosClient,
  undici: undiciClient,
  http: httpClient,
};

export const clientNames = Object.keys(clients);
