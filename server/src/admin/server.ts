// The admin socket: how the CLIs change the warehouse while the server holds it (DuckDB lets one
// process open the file). A Unix socket next to the warehouse file, readable and writable only by
// the account that runs the server: that file permission is its authentication. The CLIs run the
// same functions here as they run on the file directly (admin/commands.ts).
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:http';
import express from 'express';
import type { App } from '../app.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { logger } from '../logger.ts';
import { backupTo, BackupError } from './backup.ts';
import { loadThroughServer, runUsersCommand, type UsersCommand } from './commands.ts';
import { adminSocketPath, MAX_SOCKET_PATH } from './socket-path.ts';

export async function startAdminSocket(warehouse: Warehouse, app: App): Promise<Server | null> {
  const path = adminSocketPath(warehouse.path);
  if (path.length > MAX_SOCKET_PATH) {
    logger.warn(
      { path },
      `admin socket not started: its path is longer than ${MAX_SOCKET_PATH} bytes; stop the server to load or change users`,
    );
    return null;
  }
  // A socket file left by a server that died: nobody can be listening, since we hold the database.
  if (existsSync(path)) unlinkSync(path);

  const admin = express();
  admin.use(express.json({ limit: '100kb' }));
  let loading = false;
  admin.post('/etl', async (req, res) => {
    const source = typeof req.body?.source === 'string' ? req.body.source : '';
    if (!source)
      return void res.status(400).json({ error: 'body must be {"source": "/absolute/extract/folder"}' });
    if (loading)
      return void res
        .status(409)
        .json({ error: 'another load is running in the server; try again when it has finished' });
    logger.info({ source }, `admin socket: loading ${source}`);
    loading = true;
    try {
      // Its figures are logged by the pipeline (etl/pipeline.ts).
      res.json(await loadThroughServer(warehouse, app, source));
    } finally {
      loading = false;
    }
  });
  admin.post('/backup', async (req, res) => {
    const out = typeof req.body?.out === 'string' ? req.body.out : '';
    if (!out) return void res.status(400).json({ error: 'body must be {"out": "/absolute/backup/folder"}' });
    try {
      res.json(await backupTo(warehouse.knex, out));
    } catch (err) {
      if (err instanceof BackupError) return void res.status(400).json({ error: err.message });
      throw err;
    }
  });
  admin.post('/users', async (req, res) => {
    res.json(await runUsersCommand(warehouse.knex, req.body as UsersCommand));
    app.identities.forget();
  });
  admin.use(((err, _req, res, _next) => {
    res.status(err.expose ? 400 : 500).json({ error: err.message.split('\n')[0] });
  }) as express.ErrorRequestHandler);

  // Created with no permission for group or others from the start (chmod below only confirms it).
  const umask = process.umask(0o177);
  let server: Server;
  try {
    server = admin.listen(path);
  } finally {
    process.umask(umask);
  }
  server.requestTimeout = 0; // a big load takes minutes
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  chmodSync(path, 0o600);
  server.on('close', () => existsSync(path) && unlinkSync(path));
  return server;
}
