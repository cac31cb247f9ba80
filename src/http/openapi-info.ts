import pkg from '../../package.json' with { type: 'json' };

/** The document's info block; apart from openapi.ts so that app.ts and the generator do not import each other. */
export const OPENAPI_INFO = {
  title: 'Hoshu API',
  version: pkg.version,
  description:
    'REST API of Hoshu (保守), the desk for maintenance contracts with SLAs. ' +
    'Authenticate with a bearer API token or the session cookie (writes then need X-CSRF-Token). ' +
    'Errors are {code, message, issues[]}; messages follow Accept-Language (ja default, en). See docs/api.md.',
};
