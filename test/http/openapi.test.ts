import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_FILE } from '../../src/http/openapi.ts';

describe('OpenAPI document', () => {
  it('docs/openapi.json matches what GET /api/v1/openapi.json serves (run `npm run openapi` after changing routes)', async () => {
    const served = await generateOpenApi();
    const committed = fs.existsSync(OPENAPI_FILE) ? fs.readFileSync(OPENAPI_FILE, 'utf8') : '';
    expect(committed, 'docs/openapi.json is stale: run `npm run openapi`').toBe(served);
  });

  it('documents every route with its error shape and security', async () => {
    const doc = JSON.parse(await generateOpenApi());
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
    expect(doc.components.securitySchemes).toHaveProperty('cookieAuth');
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.responses, `${method} ${path}`).toHaveProperty('400');
        expect(op.responses, `${method} ${path}`).toHaveProperty('401');
        if (path === '/api/v1/auth/login') expect(op.security).toEqual([]);
      }
    }
  });
});
