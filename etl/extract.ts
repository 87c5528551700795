// Reads an extract folder before anything is loaded: the manifest, and for each file its
// presence, checksum and header. Any problem here refuses the whole extract (ExtractRefused)
// with a one-line reason, so the warehouse is never touched by a broken transfer.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { FILE_SPECS, SPEC_BY_FILE } from './jobs/index.ts';
import { FORMAT_VERSIONS, type FileSpec, type FormatVersion } from './spec.ts';

export class ExtractRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractRefused';
  }
}

export type Encoding = 'utf-8' | 'gbk';

export interface Manifest {
  extract_id: string;
  kind: 'full' | 'incremental';
  /** 1 when the manifest does not say; version 2 adds optional files (docs/extract-format.md). */
  format_version: FormatVersion;
  period_from: string;
  period_to: string;
  encoding: Encoding;
  generated_at?: string;
  files: Record<string, { rows: number; sha256: string }>;
}

export interface ExtractFile {
  spec: FileSpec;
  path: string;
  /** The header's column names, in file order (the spec's set, possibly reordered). */
  header: string[];
  rows: number;
  sha256: string;
  bytes: number;
}

const isDate = (value: unknown) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

export function readManifest(dir: string): Manifest {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ExtractRefused(`source folder ${dir} does not exist`);
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new ExtractRefused(`no manifest.json in ${dir}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ExtractRefused(`manifest.json is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ExtractRefused('manifest.json must be a JSON object');
  const m = raw as Record<string, unknown>;
  const bad = (field: string, why: string) => new ExtractRefused(`manifest.json: ${field} ${why}`);
  if (typeof m.extract_id !== 'string' || !/^[\w.:-]{1,100}$/.test(m.extract_id))
    throw bad('extract_id', 'must be 1–100 letters, digits, . _ : or -');
  if (m.kind !== 'full' && m.kind !== 'incremental') throw bad('kind', 'must be "full" or "incremental"');
  const version = 'format_version' in m ? m.format_version : 1;
  if (!FORMAT_VERSIONS.includes(version as FormatVersion)) {
    throw bad(
      'format_version',
      `must be ${FORMAT_VERSIONS.join(' or ')} (or absent, meaning 1), got ${JSON.stringify(version)}`,
    );
  }
  const formatVersion = version as FormatVersion;
  const encoding =
    typeof m.encoding === 'string' ? m.encoding.toLowerCase().replace('utf8', 'utf-8') : 'utf-8';
  if (encoding !== 'utf-8' && encoding !== 'gbk') throw bad('encoding', 'must be "utf-8" or "gbk"');
  if (!isDate(m.period_from)) throw bad('period_from', 'must be a date YYYY-MM-DD');
  if (!isDate(m.period_to)) throw bad('period_to', 'must be a date YYYY-MM-DD');
  if ((m.period_from as string) > (m.period_to as string)) throw bad('period_from', 'is after period_to');
  if (
    typeof m.files !== 'object' ||
    m.files === null ||
    Array.isArray(m.files) ||
    Object.keys(m.files).length === 0
  ) {
    throw bad('files', 'must list at least one file');
  }
  const files = m.files as Record<string, unknown>;
  for (const [name, entry] of Object.entries(files)) {
    const spec = SPEC_BY_FILE.get(name);
    if (!spec) throw bad('files', `lists unknown file ${name}`);
    if ((spec.since ?? 1) > formatVersion)
      throw bad(
        'files',
        `lists ${name}, a file of format version ${spec.since}, but format_version is ${'format_version' in m ? formatVersion : '1 (absent)'}`,
      );
    const e = entry as Record<string, unknown> | null;
    if (!e || !Number.isSafeInteger(e.rows) || (e.rows as number) < 0)
      throw bad(`files.${name}.rows`, 'must be a whole number ≥ 0');
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(e.sha256))
      throw bad(`files.${name}.sha256`, 'must be 64 hex digits');
  }
  if (m.kind === 'full') {
    const missing = FILE_SPECS.filter((s) => !s.optional)
      .map((s) => s.file)
      .filter((f) => !(f in files));
    if (missing.length) throw bad('files', `of a full extract must include ${missing.join(', ')}`);
  }
  return { ...(m as unknown as Manifest), format_version: formatVersion, encoding };
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
  const wanted = spec.columns.map((c) => c.name);
  const missing = wanted.filter((c) => !header.includes(c));
  const unexpected = header.filter((c) => !wanted.includes(c));
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
