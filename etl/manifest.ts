// Writes manifest.json for a folder of extract CSVs: rows (data lines, header excluded) and
// sha256 of each file's bytes. For hand-made extracts and for groups preparing their own exports.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File, type Manifest } from './extract.ts';
import type { FormatVersion } from './spec.ts';
import { SPEC_BY_FILE } from './jobs/index.ts';

/** Counts records as lines after the header (the extract format has no embedded line breaks). */
function countRows(path: string): number {
  const bytes = readFileSync(path);
  let lines = 0;
  for (const byte of bytes) if (byte === 0x0a) lines++;
  if (bytes.length && bytes[bytes.length - 1] !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}

/** A manifest as written: format_version only when given (absent means 1, as in version-1 extracts). */
export type WrittenManifest = Omit<Manifest, 'format_version'> & { format_version?: FormatVersion };

export async function writeManifest(
  dir: string,
  meta: Omit<WrittenManifest, 'files'>,
): Promise<WrittenManifest> {
  const files: Manifest['files'] = {};
  for (const name of readdirSync(dir).sort()) {
    if (!SPEC_BY_FILE.has(name)) continue;
    const path = join(dir, name);
    files[name] = { rows: countRows(path), sha256: await sha256File(path) };
  }
  const manifest: WrittenManifest = { ...meta, files };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
