// manifest.json read through its schema: the defaults it fills in, and for each kind of mistake
// the message naming the field (the bad-extract corpus covers the refusals as a load sees them).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from './manifest.ts';
import { TINY } from './test/helpers.ts';

const tiny = JSON.parse(readFileSync(join(TINY, 'manifest.json'), 'utf8'));

/** readManifest on a folder holding this manifest.json (no CSVs needed: it reads the manifest only). */
function read(manifest: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return readManifest(dir);
}
const refusal = (manifest: unknown) => {
  try {
    read(manifest);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('readManifest', () => {
  it('fills in format_version 1 and encoding utf-8 when absent, and spells the encoding one way', () => {
    const { format_version: _, encoding: __, ...v1 } = tiny;
    const files = Object.fromEntries(
      Object.entries(tiny.files).filter(([f]) => f !== 'oem_rebates.csv' && f !== 'staff.csv'),
    );
    expect(read({ ...v1, files })).toMatchObject({ format_version: 1, encoding: 'utf-8', kind: 'full' });
    expect(read({ ...tiny, encoding: 'UTF8' }).encoding).toBe('utf-8');
    expect(read({ ...tiny, encoding: 'GBK' }).encoding).toBe('gbk');
    expect(read(tiny).files['org.csv']).toEqual(tiny.files['org.csv']);
  });

  it('names the field that is wrong and what it must be', () => {
    const entry = { rows: 1, sha256: 'ab'.repeat(32) };
    expect(refusal([])).toBe('manifest.json must be a JSON object');
    expect(refusal({ ...tiny, extract_id: undefined })).toBe(
      'manifest.json: extract_id must be 1–100 letters, digits, . _ : or -',
    );
    expect(refusal({ ...tiny, extract_id: 'a/b' })).toBe(
      'manifest.json: extract_id must be 1–100 letters, digits, . _ : or -',
    );
    expect(refusal({ ...tiny, period_to: '2025-02-30' })).toBe(
      'manifest.json: period_to must be a date YYYY-MM-DD',
    );
    expect(refusal({ ...tiny, period_from: '2025-04-01' })).toBe(
      'manifest.json: period_from is after period_to',
    );
    expect(refusal({ ...tiny, encoding: 'latin1' })).toBe('manifest.json: encoding must be "utf-8" or "gbk"');
    expect(refusal({ ...tiny, format_version: '2' })).toBe(
      'manifest.json: format_version must be 1 or 2 (or absent, meaning 1), got "2"',
    );
    expect(refusal({ ...tiny, files: {} })).toBe('manifest.json: files must list at least one file');
    expect(refusal({ ...tiny, files: { ...tiny.files, 'org.csv': null } })).toBe(
      'manifest.json: files.org.csv must be {"rows": N, "sha256": "…"}',
    );
    expect(refusal({ ...tiny, files: { ...tiny.files, 'org.csv': { ...entry, rows: 1.5 } } })).toBe(
      'manifest.json: files.org.csv.rows must be a whole number ≥ 0',
    );
    expect(refusal({ ...tiny, files: { ...tiny.files, 'org.csv': { ...entry, sha256: 'abc' } } })).toBe(
      'manifest.json: files.org.csv.sha256 must be 64 hex digits',
    );
    // Every mistake at once, in the order of the fields.
    expect(refusal({ ...tiny, kind: 'weekly', period_from: '1 March' })).toBe(
      'manifest.json: kind must be "full" or "incremental"; period_from must be a date YYYY-MM-DD',
    );
  });
});
