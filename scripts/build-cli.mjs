// Bundles the `hoshu sla` commands into dist/hoshu-sla.mjs so `npx hoshu sla eval`
// starts in a fraction of the time tsx needs to compile on the fly. bin/hoshu.js
// uses the bundle only while it is newer than every source file, so an edited
// checkout never runs stale code. The desk commands always run from source.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/sla-entry.ts'],
  outfile: 'dist/hoshu-sla.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
