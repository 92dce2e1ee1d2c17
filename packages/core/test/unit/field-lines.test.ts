/**
 * RFC 9421 §2.1 field-line normalization: trimmed, each obs-fold one space. The single-pass
 * implementation matches the plain regular-expression reading of the rule on any mix of blanks,
 * line ends and text, including long runs of spaces (where a backtracking regex is quadratic).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeFieldLine } from '../../src/message/fields';

const reference = (value: string) => value.replace(/[ \t]*\r?\n[ \t]+/g, ' ').replace(/^[ \t]+|[ \t]+$/g, '');

describe('normalizeFieldLine', () => {
  it('matches the rule as regular expressions state it', () => {
    const pieces = fc.constantFrom(' ', '\t', '\r', '\n', '\r\n', 'a', 'b,', '"x"');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const value = parts.join('');
        expect(normalizeFieldLine(value)).toBe(reference(value));
      }),
      { numRuns: 2000, seed: 9421 },
    );
  });

  it('handles a line of 15,000 spaces between two characters', () => {
    const value = `a${' '.repeat(15_000)}b `;
    expect(normalizeFieldLine(value)).toBe(`a${' '.repeat(15_000)}b`);
    expect(normalizeFieldLine(`  x \r\n\t y  `)).toBe('x y');
  });
});
