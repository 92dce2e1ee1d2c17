/** Print a response as a raw HTTP/1.1 message, so it can be piped into `httpsig verify`. */
import type { OutputSink } from '../io';
import type { ExchangeResult } from './types';

export function writeResponse(out: OutputSink, response: ExchangeResult): void {
  const head = [
    `HTTP/1.1 ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    ...response.headers.map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  out.write(Buffer.from(head, 'latin1'));
  out.write(response.body);
}
