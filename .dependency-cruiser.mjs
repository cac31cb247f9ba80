// @ts-check
/**
 * Imports flow down (docs/design.md "Imports flow down"):
 *   core ← contract ← db ← modules ← http/jobs ← seed/main/cli,  and web ← contract/core.
 * `npm run check` runs this over src/ and web/; test/architecture/imports.test.ts proves each
 * rule fires on a synthetic violation. Paths are relative to the cruise's baseDir, so the same
 * rules apply to the real tree and to the test's fixture tree.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: move the shared piece down into its own file, or pass it in.',
      from: { path: '^(src|web)/' },
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core imports only src/core (and pure npm packages; eslint bans the impure ones).',
      from: { path: '^src/core/' },
      to: { path: '^(src|web|test|bench|e2e|scripts)/', pathNot: '^src/core/' },
    },
    {
      name: 'contract-below-db',
      severity: 'error',
      comment: 'src/contract is the API vocabulary shared with the web: it imports only src/core and itself.',
      from: { path: '^src/contract/' },
      to: { path: '^src/(db|modules|http|jobs|seed|cli)/|^src/(main|config)\\.ts$' },
    },
    {
      name: 'db-below-modules',
      severity: 'error',
      comment: 'src/db is a leaf under the modules: it must not import a module or anything above one.',
      from: { path: '^src/db/' },
      to: { path: '^src/(modules|http|jobs|seed|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'nothing-imports-the-top',
      severity: 'error',
      comment: 'seed, cli and main compose the application; nothing below them imports them.',
      from: { path: '^src/(core|contract|db|jobs|modules|http|i18n)/|^src/(config|errors)\\.ts$' },
      to: { path: '^src/(seed|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'web-reads-the-contract',
      severity: 'error',
      comment: 'The web imports src/contract (and pure src/core), never server code.',
      from: { path: '^web/' },
      to: { path: '^src/(modules|db|http|jobs|seed|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'no-foreign-repository',
      severity: 'error',
      comment: "A module never imports another module's repository: ask the owning module's service or queries.",
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/[^/]+\\.repository\\.ts$', pathNot: '^src/modules/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // Type-only imports count: a circle through a type still ties two files together for a reader.
    tsPreCompilationDeps: true,
    moduleSystems: ['es6'],
  },
};
