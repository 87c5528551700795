// For tests (Node only, never bundled): what a written .xlsx holds — each cell's value and the
// number format Excel shows it with — read from the zip and its XML without a spreadsheet library.
import { inflateRawSync } from 'node:zlib';

/** The files of a zip archive (stored or deflated), by name. */
export function unzip(zip: Uint8Array): Map<string, Buffer> {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

export interface XlsxCellRead {
  /** A1-style reference. */
  ref: string;
  value: string | number;
  /** The number format code Excel shows it with ('General' when none). */
  format: string;
}

const BUILT_IN_FORMATS: Record<number, string> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  49: '@',
};

const unescape = (xml: string) =>
  xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];

/** A sheet's rows of cells (the first sheet's unless told), with their values and number formats. */
export function readXlsx(zip: Uint8Array, sheetNumber = 1): XlsxCellRead[][] {
  const files = unzip(zip);
  const text = (name: string) => files.get(name)?.toString('utf8') ?? '';
  const styles = text('xl/styles.xml');
  const custom = new Map(
    [...styles.matchAll(/<numFmt\b[^>]*>/g)].map((m) => [
      Number(attr(m[0], 'numFmtId')),
      unescape(attr(m[0], 'formatCode') ?? ''),
    ]),
  );
  const cellXfs = styles.match(/<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/)?.[1] ?? '';
  const xfFormats = [...cellXfs.matchAll(/<xf\b[^>]*>/g)].map((m) => {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    return custom.get(id) ?? BUILT_IN_FORMATS[id] ?? `#${id}`;
  });
  const shared = [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    unescape([...m[1]!.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')),
  );
  const sheet = text(`xl/worksheets/sheet${sheetNumber}.xml`);
  return [...sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
    [...row[1]!.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
      const tag = c[1]!;
      const body = c[2] ?? '';
      const type = attr(tag, 't');
      const raw = body.match(/<v>([\s\S]*?)<\/v>/)?.[1];
      const value =
        type === 's'
          ? shared[Number(raw)]!
          : type === 'inlineStr'
            ? unescape(body.match(/<t\b[^>]*>([\s\S]*?)<\/t>/)?.[1] ?? '')
            : type === 'str'
              ? unescape(raw ?? '')
              : Number(raw);
      return {
        ref: attr(tag, 'r') ?? '',
        value,
        format: xfFormats[Number(attr(tag, 's') ?? 0)] ?? 'General',
      };
    }),
  );
}
