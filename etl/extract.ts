// Checks an extract folder before anything is loaded: after the manifest (manifest.ts), each
// file's presence, checksum and header. Any problem here refuses the whole extract (ExtractRefused)
// with a one-line reason, so the warehouse is never touched by a broken transfer.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { SPEC_BY_FILE } from './jobs/index.ts';
import type { Manifest } from './manifest.ts';
import type { FileSpec } from './spec.ts';

export class ExtractRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractRefused';
  }
}

export type Encoding = 'utf-8' | 'gbk';

export interface ExtractFile {
  spec: FileSpec;
  path: string;
  /** The header's column names, in file order (the spec's set, possibly reordered, without the
   *  later versions' columns it leaves out). */
  header: string[];
  rows: number;
  sha256: string;
  bytes: number;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
  return hash.digest('hex');
}

async function readFirstLine(path: string, encoding: Encoding): Promise<string | null> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead === 0) return null;
    const text =
      encoding === 'gbk'
        ? iconv.decode(buffer.subarray(0, bytesRead), 'gbk')
        : buffer.subarray(0, bytesRead).toString('utf8');
    return text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
  } finally {
    await handle.close();
  }
}

/** Checks one listed file: present, unaltered, and with the expected columns. */
export async function checkFile(dir: string, manifest: Manifest, name: string): Promise<ExtractFile> {
  const spec = SPEC_BY_FILE.get(name)!;
  const path = join(dir, name);
  if (!existsSync(path))
    throw new ExtractRefused(`${name} is listed in the manifest but missing from ${dir}`);
  const expected = manifest.files[name]!;
  const sha256 = await sha256File(path);
  if (sha256 !== expected.sha256.toLowerCase()) {
    throw new ExtractRefused(
      `${name}: sha256 ${sha256.slice(0, 12)}… does not match the manifest's ${expected.sha256.slice(0, 12)}… (truncated or altered transfer)`,
    );
  }
  const line = await readFirstLine(path, manifest.encoding);
  if (line === null || line.trim() === '') throw new ExtractRefused(`${name} is empty: no header line`);
  const header = line.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  // A column a later format version added may be left out; one newer than the manifest's may not be there.
  const known = spec.columns.filter((c) => (c.since ?? 1) <= manifest.format_version);
  const wanted = known.map((c) => c.name);
  const missing = known.filter((c) => !c.since && !header.includes(c.name)).map((c) => c.name);
  const unexpected = header
    .filter((c) => !wanted.includes(c))
    .map((c) => {
      const since = spec.columns.find((k) => k.name === c)?.since;
      return since ? `${c} (a column of format version ${since})` : c;
    });
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  if (missing.length || unexpected.length || repeated.length) {
    const parts = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unexpected.length ? `unexpected ${unexpected.join(', ')}` : '',
      repeated.length ? `repeated ${repeated.join(', ')}` : '',
    ].filter(Boolean);
    throw new ExtractRefused(`${name}: wrong header: ${parts.join('; ')}`);
  }
  return { spec, path, header, rows: expected.rows, sha256, bytes: statSync(path).size };
}

/** DuckDB reads UTF-8 only (its other encodings are a download away), so GBK files are
 *  transcoded to a UTF-8 copy first; the checksum is always of the original bytes. Bytes that
 *  are not GBK would silently become U+FFFD, so they refuse the file instead. */
export async function transcodeGbk(path: string, target: string, name: string): Promise<string> {
  let line = 1;
  const strict = new Transform({
    // Pass the decoded strings through as they are.
    readableObjectMode: true,
    writableObjectMode: true,
    transform(chunk: string, _encoding, done) {
      const bad = chunk.indexOf('\uFFFD');
      if (bad >= 0) {
        done(
          new ExtractRefused(
            `${name}: line ${line + (chunk.slice(0, bad).match(/\n/g)?.length ?? 0)}: not valid GBK (is the file UTF-8? then the manifest must say "encoding": "utf-8")`,
          ),
        );
        return;
      }
      line += chunk.match(/\n/g)?.length ?? 0;
      done(null, chunk);
    },
  });
  await pipeline(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    iconv.decodeStream('gbk'),
    strict,
    iconv.encodeStream('utf8'),
    createWriteStream(target),
  );
  return target;
}
