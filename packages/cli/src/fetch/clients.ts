/** The client stacks `httpsig fetch --client` can send through. */
import { fetchClient } from './client-fetch';
import type { SigningClient } from './types';

export const clients: Readonly<Record<string, SigningClient>> = {
  fetch: fetchClient,
};

export const clientNames = Object.keys(clients);
