// Lint: typescript-eslint's type-checked rules on everything that is compiled; formatting is
// Prettier's alone (eslint-config-prettier turns the overlapping rules off).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import boundaries, { ONE_OWNER_RULES } from './eslint/module-boundaries.mjs';

// Rows read from the database have a declared type: a query whose result is used goes through
// database/sql.ts (queryRows<T>, firstRow<T>) or names its row type (pool.query<T>).
const ROW_TYPE_RULES = [
  'VariableDeclarator > AwaitExpression',
  'ReturnStatement',
  'ArrowFunctionExpression',
  'MemberExpression > AwaitExpression',
  'ConditionalExpression > AwaitExpression',
  'ForOfStatement > AwaitExpression',
].map((context) => ({
  selector: `${context} > CallExpression[callee.property.name='query']:not([typeArguments])`,
  message: 'Name the row type: queryRows<T>(db, sql, params) from database/sql.ts, or query<T>(...).',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/console/assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The suites read supertest's `res.body`, which is `any` by design: each read is an assertion
    // of the response's shape, and a wrong guess fails the test. Everything else stays checked.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // A version's machine is built from its step table by `step()`, which returns XState state
    // config; XState types that config through `setup()`, and restating its deep generic types
    // for the table would add nothing the machine's own checks do not give.
    files: ['workflows/*/v*/machine.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['bench/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...ROW_TYPE_RULES] },
  },
  {
    // Module boundaries (eslint/module-boundaries.mjs) and the one access policy.
    files: ['src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { boundaries },
    rules: {
      'boundaries/imports': 'error',
      'boundaries/tables': 'error',
      'boundaries/case-row': 'error',
      'boundaries/ids': 'error',
      'boundaries/no-database-in-controllers': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/common/access-policy.ts', 'src/database/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...ROW_TYPE_RULES, ...ONE_OWNER_RULES],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // CommonJS by nature: the loader that runs the service in a child process for the tests.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
