// Bundles the CLI so `hoshu …` starts without compiling TypeScript on the fly (tsx's
// loader costs a desk command ~2 s of CPU before it does anything):
// - dist/hoshu-sla.mjs: the `hoshu sla` commands alone (the SLA core, no database);
// - dist/cli/hoshu.mjs: every command, split at the commands' lazy imports into chunks
//   beside it, so a command loads only the packages it uses (with one file, esbuild hoists
//   every package import to its top: fastify, pg, the mail parsers and argon2 loaded for
//   `--help`, 0.73 s against 0.28 s split). The files sit two directories deep, as the
//   sources they are built from do (src/http, src/db, src/cli), so their paths relative to
//   the repository (`../../web/dist`, `../../docs/openapi.json`) hold in the bundle too;
//   the migrations, which the desk finds by reading src/db/migrations, are listed into
//   it instead (src/db/migrations-index.ts).
// bin/hoshu.js runs a bundle only while it is newer than every source file, so an edited
// checkout never runs stale code (it runs the sources through tsx then).
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'linked', logLevel: 'warning' };

/** src/db/migrations-index.ts in the bundle: every migration file, imported statically. */
const migrationsIndex = {
  name: 'migrations-index',
  setup(b) {
    b.onLoad({ filter: /src[\\/]db[\\/]migrations-index\.ts$/ }, () => {
      const files = readdirSync('src/db/migrations').filter((f) => /^\d{12}_[\w-]+\.ts$/.test(f)).sort();
      const lines = files.map((f, i) => `import * as m${i} from './migrations/${f}';`);
      const entries = files.map((f, i) => `  ${JSON.stringify(f.replace(/\.ts$/, ''))}: m${i},`);
      return { contents: `${lines.join('\n')}\nexport const BUNDLED_MIGRATIONS = {\n${entries.join('\n')}\n};\n`, loader: 'ts', resolveDir: 'src/db' };
    });
  },
};

const [, cli] = await Promise.all([
  build({ ...common, entryPoints: ['src/cli/sla-entry.ts'], outfile: 'dist/hoshu-sla.mjs' }),
  build({ ...common, entryPoints: { hoshu: 'src/cli/main.ts' }, outdir: 'dist/cli', splitting: true, outExtension: { '.js': '.mjs' }, chunkNames: '[name]-[hash]', metafile: true, plugins: [migrationsIndex] }),
]);

// Chunk names carry a hash of their content, so an edit leaves the last build's chunks
// behind. They are removed once an hour old, not at once: a `hoshu` process started just
// before this build may still be loading them.
const written = new Set(Object.keys(cli.metafile.outputs).map((f) => resolve(f)));
for (const name of readdirSync('dist/cli')) {
  const file = resolve(join('dist/cli', name));
  if (!written.has(file) && Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
}
