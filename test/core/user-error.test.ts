import { describe, expect, it } from 'vitest';
import { formatProblem, printable, quoted, UserError } from '../../src/core/user-error';
import { formatWarning } from '../../src/core/warnings';
import { formatFinding } from '../../src/validate/finding';

const ESC = '\u001b';

describe('printable', () => {
  it('writes an ESC sequence as an escape, so a message cannot clear the screen or move the cursor', () => {
    expect(printable(`a${ESC}[2J${ESC}]0;title\u0007b`)).toBe('a\\u001b[2J\\u001b]0;title\\u0007b');
  });

  it('keeps a message on one line: newline, carriage return, tab, line and paragraph separators, NEL', () => {
    expect(printable('one\ntwo\rthree\tfour\u2028five\u2029six\u0085seven')).toBe('one\\ntwo\\rthree\\tfour\\u2028five\\u2029six\\u0085seven');
  });

  it('escapes the bidi controls that reorder what a reader sees, and invisible format characters', () => {
    expect(printable('\u202eabc\u2066d\u2069\u200e\u061c\ufeff\u200b')).toBe('\\u202eabc\\u2066d\\u2069\\u200e\\u061c\\ufeff\\u200b');
  });

  it('escapes DEL, C1 controls (CSI) and characters beyond the BMP by code point', () => {
    expect(printable('\u007f\u009b31m\u{e0001}')).toBe('\\u007f\\u009b31m\\u{e0001}');
  });

  it('leaves printable text, other scripts and emoji alone', () => {
    const text = 'environments/kkg.yaml: 今日は ✓ café 🚀 "quoted" back\\slash';

    expect(printable(text)).toBe(text);
  });
});

describe('quoted', () => {
  it('quotes as JSON does and escapes what JSON leaves raw', () => {
    expect(quoted(`k${ESC}[2J\n"x"\u202e`)).toBe('"k\\u001b[2J\\n\\"x\\"\\u202e"');
  });
});

describe('formatProblem', () => {
  it('gives one line with no control character whatever the file, path and message hold', () => {
    const line = formatProblem({ file: `env/a\nb${ESC}.yaml`, line: 3, column: 1, path: `/x${ESC}[2J\ny`, message: `unknown key "\u202eevil"` });

    expect(line).toBe('env/a\\nb\\u001b.yaml:3:1: /x\\u001b[2J\\ny: unknown key "\\u202eevil"');
    expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it('is what UserError and warnings print: one line per problem', () => {
    const error = new UserError([
      { file: 'a.yaml', message: `first\nsecond` },
      { file: 'b.yaml', message: `third${ESC}c` },
    ]);

    expect(error.message.split('\n')).toEqual(['a.yaml: first\\nsecond', 'b.yaml: third\\u001bc']);
    expect(formatWarning({ file: 'c.yaml', message: `w\u2028x` })).toBe('c.yaml: warning: w\\u2028x');
  });

  it('is what npm run validate prints for a finding', () => {
    expect(
      formatFinding({ rule: 'names', cluster: 'kkg', file: 'dist/kkg/a.yaml', object: `ConfigMap/a${ESC}[2J`, path: '', message: 'bad\nname', fix: '' }),
    ).toBe('dist/kkg/a.yaml: ConfigMap/a\\u001b[2J: bad\\nname [names]');
  });
});
