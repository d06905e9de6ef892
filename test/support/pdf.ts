import type { Response } from 'supertest';

interface TextItem {
  str: string;
  transform: number[];
}
export interface PdfLine {
  page: number;
  y: number;
  items: string[];
}

/** Text of a PDF read by pdfjs-dist (an independent reader), as lines: items sharing a baseline, left to right. */
export async function pdfLines(buf: Buffer): Promise<{ lines: PdfLine[]; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(buf),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const lines: PdfLine[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    const byY = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items as TextItem[]) {
      if (typeof item.str !== 'string' || item.str.trim() === '') continue;
      const y = Math.round(item.transform[5] ?? 0);
      const list = byY.get(y) ?? [];
      list.push({ x: item.transform[4] ?? 0, s: item.str.trim() });
      byY.set(y, list);
    }
    for (const [y, items] of [...byY.entries()].sort((a, b) => b[0] - a[0])) {
      lines.push({ page: p, y, items: items.sort((a, b) => a.x - b.x).map((i) => i.s) });
    }
  }
  await doc.destroy();
  const text = lines.map((l) => l.items.join(' ')).join('\n');
  return { lines, text };
}

/** supertest parser that keeps a binary body (a PDF) as a Buffer. */
export const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
