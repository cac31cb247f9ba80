// Bundles the CLI into dist/hoshu.mjs so `npx hoshu` starts in a fraction of the
// time tsx needs to compile on the fly. bin/hoshu.js uses the bundle only while
// it is newer than every source file, so an edited checkout never runs stale code.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/hoshu.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
