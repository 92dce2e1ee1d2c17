/** Vector messages as library messages (header pairs keep separate field lines and raw whitespace). */

export function requestFrom(parsed) {
  const headers = (parsed.headersRaw ?? parsed.headers).map(([n, v]) => [n, v]);
  if (parsed.type === 'fragment') return { method: 'GET', url: 'https://www.example.com/', headers };
  const target = parsed.requestTarget ?? '/';
  const originForm = target.startsWith('/');
  const scheme = parsed.scheme ?? 'https';
  const host = parsed.headers.find(([n]) => n.toLowerCase() === 'host')?.[1];
  const authority = parsed.authority ?? host ?? 'www.example.com';
  let url;
  if (parsed.url !== undefined) url = parsed.url;
  else if (originForm) url = `${scheme}://${authority}${target}`;
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) url = target;
  else url = `${scheme}://${authority}/`;
  const request = { method: parsed.method ?? 'GET', url, headers };
  if (!originForm) request.target = target;
  if (parsed.body !== undefined) request.body = parsed.body;
  if (parsed.trailers !== undefined) request.trailers = parsed.trailers.map(([n, v]) => [n, v]);
  return request;
}

export function responseFrom(parsed) {
  const response = {
    status: parsed.status,
    headers: (parsed.headersRaw ?? parsed.headers).map(([n, v]) => [n, v]),
  };
  const body = parsed.body ?? parsed.decodedBody;
  if (body !== undefined) response.body = body;
  if (parsed.trailers !== undefined) response.trailers = parsed.trailers.map(([n, v]) => [n, v]);
  return response;
}

export function messageFrom(parsed) {
  return parsed.type === 'response' ? responseFrom(parsed) : requestFrom(parsed);
}

export function paramsOf(list) {
  const params = {};
  for (const { name, value } of list) params[name] = value;
  return params;
}

export function createdOf(vector) {
  return vector.signatureParameters.find((p) => p.name === 'created')?.value;
}

export function withoutFields(message, ...names) {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return { ...message, headers: message.headers.filter(([n]) => !drop.has(n.toLowerCase())) };
}

export function withField(message, name, value) {
  return {
    ...withoutFields(message, name),
    headers: [...withoutFields(message, name).headers, [name, value]],
  };
}

export function fieldOf(message, name) {
  return message.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

export function base64ToBytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The base64 of `b64`'s bytes with one byte's lowest bit flipped. */
export function flipByte(b64, index) {
  const bytes = base64ToBytes(b64);
  bytes[index % bytes.length] ^= 0x01;
  return bytesToBase64(bytes);
}
