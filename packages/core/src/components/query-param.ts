/** `@query-param` values (RFC 9421 §2.2.8): form-decoded, then percent-encoded again. */

const hex = '0123456789ABCDEF';
const utf8 = new TextEncoder();

/** Decode one name or value of application/x-www-form-urlencoded (WHATWG URL §5.1). */
function formDecode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  if (!plus.includes('%')) return plus;
  const bytes: number[] = [];
  const source = utf8.encode(plus);
  for (let i = 0; i < source.length; i++) {
    const b = source[i] as number;
    if (b === 0x25 && i + 2 < source.length + 0 && isHex(source[i + 1]) && isHex(source[i + 2])) {
      bytes.push(Number.parseInt(String.fromCharCode(source[i + 1] as number, source[i + 2] as number), 16));
      i += 2;
    } else {
      bytes.push(b);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function isHex(b: number | undefined): boolean {
  return (
    b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66))
  );
}

/**
 * Percent-encode with the application/x-www-form-urlencoded percent-encode set, spaces as %20:
 * only ASCII letters, digits and `*-._` stay as they are.
 */
export function formEncode(text: string): string {
  let out = '';
  for (const b of utf8.encode(text)) {
    const keep =
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2a ||
      b === 0x2d ||
      b === 0x2e ||
      b === 0x5f;
    out += keep ? String.fromCharCode(b) : `%${hex[b >> 4]}${hex[b & 15]}`;
  }
  return out;
}

/** Every value of the named parameter, encoded, in the order they occur in the query. */
export function queryParamValues(query: string | undefined, encodedName: string): string[] {
  const values: string[] = [];
  if (!query) return values;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    if (formEncode(formDecode(rawName)) === encodedName) values.push(formEncode(formDecode(rawValue)));
  }
  return values;
}
