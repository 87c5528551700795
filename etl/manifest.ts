// An extract's manifest.json (docs/extract-format.md): one zod schema gives both its type and its
// checks. readManifest refuses a bad one with the field that is wrong; writeManifest writes one
// for a folder of CSVs (rows, header excluded, and sha256 of each file), for hand-made extracts
// and for groups preparing their own exports.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ExtractRefused, sha256File } from './extract.ts';
import { FILE_SPECS, SPEC_BY_FILE } from './jobs/index.ts';
import { FORMAT_VERSIONS, type FormatVersion } from './spec.ts';

/** Each check says what the field must be; readManifest puts the file and the field in front. */
const must = (why: string) => ({ error: why });
const date = z.iso.date(must('must be a date YYYY-MM-DD'));

const fileEntry = z.object(
  {
    rows: z.int(must('must be a whole number ≥ 0')).min(0, must('must be a whole number ≥ 0')),
    sha256: z.string(must('must be 64 hex digits')).regex(/^[0-9a-f]{64}$/i, must('must be 64 hex digits')),
  },
  must('must be {"rows": N, "sha256": "…"}'),
);

const manifestSchema = z
  .object(
    {
      extract_id: z
        .string(must('must be 1–100 letters, digits, . _ : or -'))
        .regex(/^[\w.:-]{1,100}$/, must('must be 1–100 letters, digits, . _ : or -')),
      kind: z.enum(['full', 'incremental'], must('must be "full" or "incremental"')),
      /** Absent means 1; version 2 adds optional files. */
      format_version: z
        .union(
          FORMAT_VERSIONS.map((v) => z.literal(v)),
          {
            error: (issue) =>
              `must be ${FORMAT_VERSIONS.join(' or ')} (or absent, meaning 1), got ${JSON.stringify(issue.input)}`,
          },
        )
        .optional(),
      period_from: date,
      period_to: date,
      encoding: z
        .string(must('must be "utf-8" or "gbk"'))
        .transform((e) => e.toLowerCase().replace('utf8', 'utf-8'))
        .pipe(z.enum(['utf-8', 'gbk'], must('must be "utf-8" or "gbk"')))
        .default('utf-8'),
      generated_at: z.string(must('must be a string (a timestamp)')).optional(),
      files: z
        .record(z.string(), fileEntry, must('must list at least one file'))
        .refine((files) => Object.keys(files).length > 0, must('must list at least one file')),
    },
    must('must be a JSON object'),
  )
  .superRefine((m, ctx) => {
    const bad = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (m.period_from > m.period_to) bad('period_from', 'is after period_to');
    const version = m.format_version ?? 1;
    for (const name of Object.keys(m.files)) {
      const spec = SPEC_BY_FILE.get(name);
      if (!spec) bad('files', `lists unknown file ${name}`);
      else if ((spec.since ?? 1) > version)
        bad(
          'files',
          `lists ${name}, a file of format version ${spec.since}, but format_version is ${m.format_version ?? '1 (absent)'}`,
        );
    }
    if (m.kind === 'full' && Object.keys(m.files).length) {
      const missing = FILE_SPECS.filter((s) => !s.optional && !(s.file in m.files)).map((s) => s.file);
      if (missing.length) bad('files', `of a full extract must include ${missing.join(', ')}`);
    }
  });

/** A manifest as written: format_version only when given (absent means 1, as in version-1 extracts). */
export type WrittenManifest = z.input<typeof manifestSchema>;

/** A manifest as read: every default filled in. */
export type Manifest = Omit<z.output<typeof manifestSchema>, 'format_version'> & {
  format_version: FormatVersion;
};

/** "files.vehicle_sales.csv.rows must be …": where in the manifest, then what is wrong. */
const describe = (issue: z.core.$ZodIssue) =>
  issue.path.length ? `${issue.path.join('.')} ${issue.message}` : issue.message;

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
  // A JSON array passes as an object to zod's record check, not to a person.
  const parsed = manifestSchema.safeParse(Array.isArray(raw) ? null : raw);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    throw new ExtractRefused(
      first!.path.length
        ? `manifest.json: ${parsed.error.issues.map(describe).join('; ')}`
        : `manifest.json ${first!.message}`,
    );
  }
  return { ...parsed.data, format_version: parsed.data.format_version ?? 1 };
}

/** Counts records as lines after the header (the extract format has no embedded line breaks). */
function countRows(path: string): number {
  const bytes = readFileSync(path);
  let lines = 0;
  for (const byte of bytes) if (byte === 0x0a) lines++;
  if (bytes.length && bytes[bytes.length - 1] !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}

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
