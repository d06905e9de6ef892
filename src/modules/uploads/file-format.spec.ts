import { gzipSync } from 'node:zlib';
import { declaredFormat, sniffFormat } from './file-format';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('file formats of a multipart file part', () => {
  it('a .parquet name or the Parquet media type declares Parquet; other names and types do not', () => {
    expect(declaredFormat('scores.PARQUET', undefined)).toBe('parquet');
    expect(declaredFormat('x.bin', 'application/vnd.apache.parquet; charset=binary')).toBe('parquet');
    expect(declaredFormat('scores.parquet.csv', 'text/csv')).toBeNull();
    expect(declaredFormat(undefined, 'application/octet-stream')).toBeNull();
  });

  it('PAR1 is Parquet; text is CSV, also a header that merely starts with letters of a signature', () => {
    expect(sniffFormat(bytes('PAR1\x15\x04\x15\x80'))).toEqual({ format: 'parquet' });
    expect(sniffFormat(bytes('y_true,y_pred,race\n1,1,A\n'))).toEqual({ format: 'csv' });
    expect(sniffFormat(bytes('PAR,y_pred\n'))).toEqual({ format: 'csv' });
    expect(sniffFormat(bytes('Obj,ORC,BZh\n'))).toEqual({ format: 'csv' });
    expect(sniffFormat(new Uint8Array(0))).toEqual({ format: 'csv' }); // the CSV parser says "empty file"
  });

  it('known binary formats and NUL bytes in the first line are named', () => {
    expect(sniffFormat(gzipSync('a,b\n1,2\n'))).toEqual({ binary: 'gzip-compressed' });
    expect(sniffFormat(bytes('PK\x03\x04\x14\x00'))).toEqual({
      binary: 'a ZIP archive (an .xlsx or .ods spreadsheet is one)',
    });
    expect(sniffFormat(bytes('\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'))).toMatchObject({ binary: /legacy \.xls/ });
    expect(sniffFormat(bytes('a\x00b,c\n'))).toMatchObject({ binary: /NUL bytes/ });
  });

  it('a NUL byte after the first line is left to the CSV parser (it names the row and column)', () => {
    expect(sniffFormat(bytes('id,y_pred\nP1\x00,1\n'))).toEqual({ format: 'csv' });
  });
});
