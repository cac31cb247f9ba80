/** `npm run openapi`: regenerates docs/openapi.json from the routes' zod schemas. */
import fs from 'node:fs';
import { generateOpenApi, OPENAPI_FILE } from './openapi.ts';

fs.writeFileSync(OPENAPI_FILE, await generateOpenApi());
console.log(`wrote ${OPENAPI_FILE.pathname}`);
