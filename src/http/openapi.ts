import { createDb } from '../db/database.ts';
import pkg from '../../package.json' with { type: 'json' };

export const OPENAPI_INFO = {
  title: 'Hoshu API',
  version: pkg.version,
  description:
    'REST API of Hoshu (保守), the desk for maintenance contracts with SLAs. ' +
    'Authenticate with a bearer API token or the session cookie (writes then need X-CSRF-Token). ' +
    'Errors are {code, message, issues[]}; messages follow Accept-Language (ja default, en). See docs/api.md.',
};

/** The committed file; a test fails when it differs from what the app serves. */
export const OPENAPI_FILE = new URL('../../docs/openapi.json', import.meta.url);

export function formatOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Builds the app over a throw-away in-memory database (no route runs) and returns the document. */
export async function generateOpenApi(): Promise<string> {
  const { buildApp } = await import('./app.ts');
  const d = createDb({ dialect: 'sqlite', file: ':memory:' });
  try {
    const app = await buildApp({ db: d.db });
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    await app.close();
    return formatOpenApi(res.json());
  } finally {
    await d.close();
  }
}
