/**
 * The part of RFC 9651 (Structured Field Values) that `Signature-Agent` needs: Dictionaries and
 * Items, with every bare item type parsed so that any well-formed field is read correctly.
 * Core's parser is internal to core, and only string members and token parameters matter here.
 */

export type BareItem =
  | { readonly type: 'string' | 'token' | 'bytes' | 'display'; readonly value: string }
  | { readonly type: 'integer' | 'decimal' | 'date'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean };

export type Parameters = ReadonlyMap<string, BareItem>;

export interface Item {
  readonly value: BareItem;
  readonly params: Parameters;
}

export interface InnerList {
  readonly items: readonly Item[];
  readonly params: Parameters;
}

export type Member = Item | InnerList;

export function isInnerList(member: Member): member is InnerList {
  return 'items' in member;
}

export class StructuredFieldError extends Error {
  override readonly name = 'StructuredFieldError';
}

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z:/]$/;
const KEY_CHAR = /^[a-z0-9_\-.*]$/;

class Parser {
  private index = 0;

  constructor(private readonly input: string) {}

  private peek(): string {
    return this.input[this.index] ?? '';
  }

  private fail(what: string): never {
    throw new StructuredFieldError(`${what} at offset ${this.index}`);
  }

  skipSpaces(): void {
    while (this.peek() === ' ') this.index++;
  }

  private skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.index++;
  }

  done(): boolean {
    return this.index >= this.input.length;
  }

  dictionary(): Map<string, Member> {
    const members = new Map<string, Member>();
    while (!this.done()) {
      const key = this.key();
      let member: Member;
      if (this.peek() === '=') {
        this.index++;
        member = this.peek() === '(' ? this.innerList() : this.item();
      } else {
        member = { value: { type: 'boolean', value: true }, params: this.parameters() };
      }
      // RFC 9651 §4.2.2: a later duplicate key overrides the earlier one.
      members.delete(key);
      members.set(key, member);
      this.skipOws();
      if (this.done()) return members;
      if (this.peek() !== ',') this.fail('expected a comma');
      this.index++;
      this.skipOws();
      if (this.done()) this.fail('trailing comma');
    }
    return members;
  }

  item(): Item {
    const value = this.bareItem();
    return { value, params: this.parameters() };
  }

  private innerList(): InnerList {
    this.index++;
    const items: Item[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.peek() === ')') {
        this.index++;
        return { items, params: this.parameters() };
      }
      items.push(this.item());
      const next = this.peek();
      if (next !== ' ' && next !== ')') this.fail('expected a space or ")" in an inner list');
    }
  }

  private parameters(): Map<string, BareItem> {
    const params = new Map<string, BareItem>();
    while (this.peek() === ';') {
      this.index++;
      this.skipSpaces();
      const key = this.key();
      let value: BareItem = { type: 'boolean', value: true };
      if (this.peek() === '=') {
        this.index++;
        value = this.bareItem();
      }
      params.delete(key);
      params.set(key, value);
    }
    return params;
  }

  private key(): string {
    const first = this.peek();
    if (!/^[a-z*]$/.test(first)) this.fail('expected a key');
    const start = this.index;
    while (KEY_CHAR.test(this.peek())) this.index++;
    return this.input.slice(start, this.index);
  }

  private bareItem(): BareItem {
    const c = this.peek();
    if (c === '-' || /^[0-9]$/.test(c)) return this.number();
    if (c === '"') return { type: 'string', value: this.string() };
    if (/^[A-Za-z*]$/.test(c)) return { type: 'token', value: this.token() };
    if (c === ':') return { type: 'bytes', value: this.bytes() };
    if (c === '?') return { type: 'boolean', value: this.boolean() };
    if (c === '@') {
      this.index++;
      const date = this.number();
      if (date.type !== 'integer') this.fail('a date must be an integer');
      return { type: 'date', value: date.value as number };
    }
    if (c === '%') return { type: 'display', value: this.displayString() };
    return this.fail('expected an item');
  }

  private number(): BareItem {
    const match = /^-?([0-9]{1,15})(\.[0-9]{1,3})?/.exec(this.input.slice(this.index));
    if (match === null) return this.fail('malformed number');
    const [text, integer = '', fraction] = match;
    if (fraction !== undefined && integer.length > 12) this.fail('decimal with too many digits');
    this.index += text.length;
    if (/^[0-9.]$/.test(this.peek())) this.fail('number with too many digits');
    return { type: fraction === undefined ? 'integer' : 'decimal', value: Number(text) };
  }

  private string(): string {
    this.index++;
    let value = '';
    for (;;) {
      const c = this.peek();
      if (c === '') this.fail('unterminated string');
      this.index++;
      if (c === '"') return value;
      if (c === '\\') {
        const escaped = this.peek();
        if (escaped !== '"' && escaped !== '\\') this.fail('bad escape in a string');
        this.index++;
        value += escaped;
        continue;
      }
      const code = c.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) this.fail('bad character in a string');
      value += c;
    }
  }

  private token(): string {
    const start = this.index;
    this.index++;
    while (TCHAR.test(this.peek())) this.index++;
    return this.input.slice(start, this.index);
  }

  private bytes(): string {
    this.index++;
    const end = this.input.indexOf(':', this.index);
    if (end < 0) this.fail('unterminated byte sequence');
    const value = this.input.slice(this.index, end);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) this.fail('bad byte sequence');
    this.index = end + 1;
    return value;
  }

  private boolean(): boolean {
    this.index++;
    const c = this.peek();
    if (c !== '0' && c !== '1') this.fail('bad boolean');
    this.index++;
    return c === '1';
  }

  private displayString(): string {
    this.index++;
    if (this.peek() !== '"') this.fail('bad display string');
    this.index++;
    const bytes: number[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '') this.fail('unterminated display string');
      this.index++;
      if (c === '"') break;
      const code = c.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) this.fail('bad character in a display string');
      if (c === '%') {
        const hex = this.input.slice(this.index, this.index + 2);
        if (!/^[0-9a-f]{2}$/.test(hex)) this.fail('bad percent escape');
        bytes.push(Number.parseInt(hex, 16));
        this.index += 2;
      } else {
        bytes.push(code);
      }
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    } catch {
      return this.fail('display string is not UTF-8');
    }
  }
}

function run<T>(input: string, parse: (parser: Parser) => T): T {
  const parser = new Parser(input);
  parser.skipSpaces();
  const value = parse(parser);
  parser.skipSpaces();
  if (!parser.done()) throw new StructuredFieldError('unexpected characters after the value');
  return value;
}

/** Parse a Dictionary field value (field lines already joined with ", "). */
export function parseDictionary(input: string): Map<string, Member> {
  return run(input, (parser) => parser.dictionary());
}

/** Parse an Item field value. */
export function parseItem(input: string): Item {
  return run(input, (parser) => parser.item());
}
