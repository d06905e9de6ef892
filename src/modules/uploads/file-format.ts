/**
 * Which format a multipart "file" part holds: Parquet when the part says so (a `.parquet` file name or the
 * `application/vnd.apache.parquet` media type) or starts with Parquet's magic bytes `PAR1`; a known binary
 * format (a spreadsheet, an archive, ...) or a NUL byte in the first line is refused with a 415; anything else
 * is read as CSV, whose parser then reports any problem with its row and column.
 */

export type FileFormat = 'csv' | 'parquet';

export const PARQUET_MEDIA_TYPE = 'application/vnd.apache.parquet';
/** Bytes looked at before the format is decided (the longest signature below). */
export const SNIFF_BYTES = 16;

const PARQUET_MAGIC = 'PAR1';

/**
 * Signatures of binary formats people send instead of CSV, with what to call them in the answer. Each holds a
 * byte no CSV header starts with (or is long enough not to be a plausible header).
 */
const BINARY_SIGNATURES: readonly { bytes: readonly number[]; name: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], name: 'a ZIP archive (an .xlsx or .ods spreadsheet is one)' },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    name: 'an OLE2 file (a legacy .xls spreadsheet)',
  },
  { bytes: [0x1f, 0x8b], name: 'gzip-compressed' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive' },
  { bytes: ascii('ARROW1'), name: 'an Arrow IPC (Feather) file' },
  { bytes: [...ascii('Obj'), 0x01], name: 'an Avro file' },
  { bytes: [...ascii('SQLite format 3'), 0x00], name: 'an SQLite database' },
  { bytes: ascii('%PDF-'), name: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
];

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

/** Parquet when the part's name or media type says so; null when only its bytes can tell. */
export function declaredFormat(filename: string | undefined, mimeType: string | undefined): 'parquet' | null {
  if (filename !== undefined && /\.parquet$/i.test(filename.trim())) return 'parquet';
  if (mimeType?.split(';')[0]?.trim().toLowerCase() === PARQUET_MEDIA_TYPE) return 'parquet';
  return null;
}

/** The format of a file from its first bytes (at least SNIFF_BYTES of them unless the file is shorter). */
export function sniffFormat(head: Uint8Array): { format: FileFormat } | { binary: string } {
  if (startsWith(head, ascii(PARQUET_MAGIC))) return { format: 'parquet' };
  for (const { bytes, name } of BINARY_SIGNATURES) if (startsWith(head, bytes)) return { binary: name };
  const lineEnd = head.indexOf(0x0a);
  const firstLine = lineEnd < 0 ? head : head.subarray(0, lineEnd);
  if (firstLine.includes(0)) return { binary: 'a binary file (its first line holds NUL bytes)' };
  return { format: 'csv' };
}

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}
