/**
 * The web app (agent console and client portal). `npm run build:web` writes
 * web/dist, which the desk serves at / (src/http/web-static.ts). Types and form
 * rules come straight from ../src/contract (zod), and the calendar trial
 * calculation runs the SLA core itself (pure code, same answers as the server).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes a brotli (best quality) and a gzip copy beside each hashed asset: the desk sends
 * them as they are (@fastify/static's preCompressed), instead of compressing the 1.5 MB
 * script again for every first visit (~80 ms of the server's CPU each, at a lower quality).
 * Node's zlib does it; a plugin package would add a dependency for these lines.
 */
function precompress(): Plugin {
  return {
    name: 'hoshu-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/^assets\/.*\.(js|css)$/.test(name)) continue;
        const file = path.join(options.dir!, name); // vite writes to build.outDir, given here as dir
        const body = fs.readFileSync(file);
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body, {
          params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
        }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    rolldownOptions: {
      // Mantine marks its modules "use client" (for React Server Components); meaningless in a SPA bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
