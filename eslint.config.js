// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The SLA core (src/core) is pure: no I/O, no clock, no environment, no database.
 * "now" and all data arrive as parameters. These rules make that mechanical.
 */
const coreBannedModules = [
  'node:*', 'fs', 'fs/*', 'path', 'os', 'net', 'http', 'https', 'child_process', 'crypto', 'process',
  'worker_threads', 'stream', 'url', 'util',
  'kysely', 'kysely/*', 'better-sqlite3', 'pg', 'pg-*', 'nodemailer', 'fastify', 'fastify/*', '@fastify/*',
  'imapflow', 'mailparser', 'smtp-server', 'pino',
];

export const coreRules = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: coreBannedModules, message: 'src/core is pure: no I/O, database or framework modules (see ARCHITECTURE.md).' },
      { group: ['**/modules/**', '**/db/**', '**/http/**', '**/cli/**', '**/jobs/**', '**/config*'], message: 'src/core must not depend on the outer layers.' },
    ],
  }],
  'no-restricted-globals': ['error',
    { name: 'process', message: 'src/core reads no environment: pass values in.' },
    { name: 'require', message: 'src/core loads nothing at run time.' },
    { name: 'fetch', message: 'src/core does no I/O.' },
    { name: 'setTimeout', message: 'src/core has no timers.' },
    { name: 'setInterval', message: 'src/core has no timers.' },
    { name: 'performance', message: 'src/core reads no clock.' },
  ],
  'no-restricted-properties': ['error',
    { object: 'Date', property: 'now', message: 'src/core reads no clock: take "now" as a parameter.' },
    { object: 'DateTime', property: 'now', message: 'src/core reads no clock: take "now" as a parameter.' },
    { object: 'DateTime', property: 'local', message: 'src/core never uses the process zone.' },
    { object: 'Math', property: 'random', message: 'src/core is deterministic.' },
  ],
  'no-restricted-syntax': ['error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/core reads no clock: take "now" as a parameter.' },
    { selector: "CallExpression[callee.name='Date']", message: 'src/core reads no clock: take "now" as a parameter.' },
    { selector: "ImportExpression", message: 'src/core loads nothing at run time.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'web/dist/**', 'data/**', 'coverage/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/core/**/*.ts'], rules: coreRules },
  { files: ['bin/**/*.js', 'eslint.config.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
