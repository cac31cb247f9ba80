// The HTTP load generator of bench/http.bench.ts, in its own process (as a real client
// would be): reads autocannon options as JSON on stdin, runs them, prints the result as
// JSON on stdout. `missCursorTop`: every request asks for a list page (cursor) not asked
// for before in this run, counting down from that incident number, so none can come
// from the list cache.
/* global process */
import autocannon from 'autocannon';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { missCursorTop, ...opts } = JSON.parse(input);
if (missCursorTop !== undefined) {
  let cursor = missCursorTop;
  opts.requests = [{
    method: 'GET',
    setupRequest: (req) => {
      if (cursor <= 21) cursor = missCursorTop;
      return { ...req, path: `/api/v1/incidents?limit=20&before=${cursor--}` };
    },
  }];
}
autocannon(opts, (err, result) => {
  if (err) {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(result));
});
