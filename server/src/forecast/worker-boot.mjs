// A forecast worker's entry: worker threads do not inherit tsx's loader, so the worker registers
// it and then loads its TypeScript module (pool.ts passes the module's URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
