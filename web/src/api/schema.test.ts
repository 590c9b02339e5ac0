// schema.d.ts is generated from openapi.json (`npm run gen:api`) and never edited by hand; this
// fails when the two drift, as the C++ openapi_test fails when openapi.json drifts from the server.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { expect, test } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

test('schema.d.ts is what openapi-typescript makes of the committed openapi.json', async () => {
  const document = readFileSync(join(here, '../../openapi.json'), 'utf8');
  const generated = COMMENT_HEADER + astToString(await openapiTS(document, { silent: true }));
  const committed = readFileSync(join(here, 'schema.d.ts'), 'utf8');
  expect(committed === generated, 'src/api/schema.d.ts is stale: run `npm run gen:api` in web/').toBe(
    true,
  );
});
