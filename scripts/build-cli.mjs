// Bundles the CLI so `hoshu …` starts without compiling TypeScript on the fly (tsx's
// loader costs a desk command ~2 s of CPU before it does anything):
// - dist/hoshu-sla.mjs: the `hoshu sla` commands alone (the SLA core, no database);
// - dist/cli/hoshu.mjs: every command. It sits two directories deep, as the sources it
//   is built from do (src/http, src/db, src/cli), so their paths relative to the
//   repository (`../../web/dist`, `../../docs/openapi.json`) hold in the bundle too;
//   the migrations, which the desk finds by reading src/db/migrations, are listed into
//   it instead (src/db/migrations-index.ts).
// bin/hoshu.js runs a bundle only while it is newer than every source file, so an edited
// checkout never runs stale code (it runs the sources through tsx then).
import { readdirSync } from 'node:fs';
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

await Promise.all([
  build({ ...common, entryPoints: ['src/cli/sla-entry.ts'], outfile: 'dist/hoshu-sla.mjs' }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli/hoshu.mjs', plugins: [migrationsIndex] }),
]);
