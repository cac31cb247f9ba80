/* global module, process */
// autocannon setupRequest for bench/http.bench.ts, loaded by path in autocannon's worker: every
// request asks for a list page (cursor) that has not been asked for in this run, so none can be
// answered from the list cache. BENCH_MISS_TOP is the highest incident number.
const top = Number(process.env.BENCH_MISS_TOP);
let cursor = top;
module.exports = (req) => {
  if (cursor <= 21) cursor = top;
  return { ...req, path: `/api/v1/incidents?limit=20&before=${cursor--}` };
};
