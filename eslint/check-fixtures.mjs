/**
 * Lints small fixtures with the boundary rules and prints what each refused, as JSON: the
 * boundary test (src/common/module-boundaries.spec.ts) runs this to prove the rules still bite.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import boundaries, { ONE_OWNER_RULES } from './module-boundaries.mjs';

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { boundaries },
      rules: {
        'boundaries/imports': 'error',
        'boundaries/tables': 'error',
        'boundaries/case-row': 'error',
        'boundaries/ids': 'error',
        'boundaries/no-database-in-controllers': 'error',
        'no-restricted-syntax': ['error', ...ONE_OWNER_RULES],
      },
    },
  ],
});

const fixtures = JSON.parse(process.argv[2]);
const out = {};
for (const [filePath, code] of Object.entries(fixtures)) {
  const [result] = await eslint.lintText(code, { filePath });
  out[filePath] = result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}
console.log(JSON.stringify(out));
