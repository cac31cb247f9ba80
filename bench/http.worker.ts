/**
 * One app process of the HTTP bench (bench/http.bench.ts forks these with
 * node:cluster so several processes share the port, as behind a load balancer).
 */
import { createDb } from '../src/db/database.ts';
import { buildApp } from '../src/http/app.ts';

const file = process.env.HOSHU_BENCH_DB;
const port = Number(process.env.HOSHU_BENCH_PORT);
if (!file || !port) throw new Error('HOSHU_BENCH_DB and HOSHU_BENCH_PORT are required');
const database = createDb({ dialect: 'sqlite', file });
const app = await buildApp({ db: database.db });
await app.listen({ host: '127.0.0.1', port });
process.send?.('ready');
process.on('disconnect', () => {
  void app.close().then(() => database.close()).finally(() => process.exit(0));
});
