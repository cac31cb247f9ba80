/**
 * The page's Content-Security-Policy allows no eval. zod probes for it with
 * `new Function` when it builds an object schema (to compile faster parsers); the
 * probe is caught, but the browser still reports a CSP violation. Imported first by
 * main.tsx, before any module builds a schema.
 */
import { z } from 'zod';

z.config({ jitless: true });
