import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on `entry`: a .js file when compiled (dist), or a .ts file when running from sources
 * (jest with @swc/jest, the benches with @swc-node/register). A worker thread does not inherit jest's
 * transform, so for a .ts entry the new thread registers @swc-node/register itself before loading it.
 */
export function startWorker(entry: string): Worker {
  if (extname(entry) !== '.ts') return new Worker(entry);
  const register = require.resolve('@swc-node/register');
  const source = `require(${JSON.stringify(register)});\nrequire(${JSON.stringify(entry)});\n`;
  return new Worker(source, { eval: true });
}
