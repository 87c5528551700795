// The CLIs' side of the admin socket: ask the running server, or say that none is running.
import { request } from 'node:http';
import { adminSocketPath } from './socket-path.ts';

export class AdminError extends Error {}

/**
 * POSTs `body` to the server holding `dbPath`; undefined when no server is listening (then the CLI
 * opens the file itself). A refusal by the server throws AdminError with its reason.
 */
export function askServer<T>(dbPath: string, route: string, body: unknown): Promise<T | undefined> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: adminSocketPath(dbPath),
        path: route,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: { error?: string } | undefined;
          try {
            parsed = JSON.parse(text);
          } catch {
            return reject(new AdminError(`the server answered ${res.statusCode}: ${text.slice(0, 200)}`));
          }
          if (res.statusCode === 200) resolve(parsed as T);
          else reject(new AdminError(parsed?.error ?? `the server answered ${res.statusCode}`));
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // No socket (or no folder for one), or a socket file nobody listens on: there is no server to ask.
      // A socket this account may not open belongs to someone else's server: the file will say it is locked.
      if (['ENOENT', 'ENOTDIR', 'ECONNREFUSED', 'EACCES', 'EPERM'].includes(err.code ?? ''))
        resolve(undefined);
      else reject(new AdminError(`cannot reach the server's admin socket: ${err.message}`));
    });
    req.end(payload);
  });
}
