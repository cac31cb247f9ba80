import { createDb } from '../db/database.ts';
import { buildApp } from './app.ts';

/** The committed file; a test fails when it differs from what the app serves. */
export const OPENAPI_FILE = new URL('../../docs/openapi.json', import.meta.url);

export function formatOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Builds the app over a throw-away in-memory database (no route runs) and returns the document. */
export async function generateOpenApi(): Promise<string> {
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
