import { describe, expect, it } from 'vitest';
import { parseComponentList } from '../src/args';
import { UsageError } from '../src/errors';

const parse = (list: string) => parseComponentList('sign', list, '--components');

describe('parseComponentList', () => {
  it('quotes bare names and lower-cases them', () => {
    expect(parse('@method,Content-Type')).toEqual(['"@method"', '"content-type"']);
  });

  it('splits on commas and/or whitespace, ignoring empty items', () => {
    expect(parse(' @method ,, @path\t"date"\n, content-length ')).toEqual([
      '"@method"',
      '"@path"',
      '"date"',
      '"content-length"',
    ]);
  });

  it('keeps serialized identifiers and their parameters as written', () => {
    expect(parse('"@query-param";name="q", "example-dict";key="a";sf "content-digest";req')).toEqual([
      '"@query-param";name="q"',
      '"example-dict";key="a";sf',
      '"content-digest";req',
    ]);
  });

  it('keeps separators, semicolons and escapes inside quoted strings', () => {
    expect(parse('"@query-param";name="a, b;c=d" "x";key="q\\"uote"')).toEqual([
      '"@query-param";name="a, b;c=d"',
      '"x";key="q\\"uote"',
    ]);
  });

  it('accepts parameters on bare names and whitespace around ";"', () => {
    expect(parse('content-digest;req, "@query-param" ; name="q";req')).toEqual([
      '"content-digest";req',
      '"@query-param";name="q";req',
    ]);
  });

  it('accepts a pasted inner list in parentheses', () => {
    expect(parse('("@method" "@authority";req)')).toEqual(['"@method"', '"@authority";req']);
  });

  it('gives an empty list for an empty string', () => {
    expect(parse('')).toEqual([]);
    expect(parse(' , ')).toEqual([]);
  });

  it.each([
    ['"@method'],
    ['"@method"x'],
    ['@me"thod'],
    ['@method;'],
    ['@method;name='],
    ['""'],
    ['"x";key="open'],
  ])('refuses %s as a usage error', (list) => {
    expect(() => parse(list)).toThrow(UsageError);
  });
});
