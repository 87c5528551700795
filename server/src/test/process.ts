// A project script (TypeScript, through tsx) as its own process, the way a user runs it, for the
// tests and benchmarks that need a real process: CLIs, a server to kill and restart.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';

export const ROOT = new URL('../../..', import.meta.url).pathname;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** From start to exit. */
  ms: number;
}

/**
 * Starts `node --import tsx SCRIPT ARGS` in the project folder: one process (no tsx wrapper in
 * between), so a signal reaches the script itself. `out` and `err` collect as it runs.
 */
export function runScript(
  script: string,
  args: string[] = [],
  options: { input?: string; env?: Record<string, string>; nodeArgs?: string[] } = {},
) {
  const started = Date.now();
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
    },
  );
  const output = { out: '', err: '' };
  child.stdout.on('data', (d) => (output.out += d));
  child.stderr.on('data', (d) => (output.err += d));
  child.stdin.end(options.input ?? '');
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, ...output, ms: Date.now() - started })),
  );
  return { child, output, exited };
}

/** A TCP port nobody listens on right now. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
