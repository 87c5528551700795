// Where the server's admin socket lives: next to the warehouse file it holds, so a CLI that finds
// the file locked knows where to ask. Unix socket paths are limited to about 100 bytes.
import { resolve } from 'node:path';

export const MAX_SOCKET_PATH = 100;

export function adminSocketPath(dbPath: string): string {
  return `${resolve(dbPath)}.admin.sock`;
}
