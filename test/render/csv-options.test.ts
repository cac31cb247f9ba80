import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS } from '../../src/render/csv-options.ts';

describe('CSV written with the shared options', () => {
  it('quotes a field with a lone LF or CR so it stays one field, and ends records with CRLF', () => {
    const out = stringify([['受注\n画面', 'a\rb', 'plain', 'x,y', 'say "hi"']], CSV_OPTIONS);
    expect(out).toBe('"受注\n画面","a\rb",plain,"x,y","say ""hi"""\r\n');
  });

  it('without the shared options csv-stringify leaves a lone LF bare (why the options exist)', () => {
    expect(stringify([['a\nb', 'c']], { record_delimiter: 'windows' })).toBe('a\nb,c\r\n');
  });
});
