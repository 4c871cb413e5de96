// Lint with type information: floating and misused promises are real bugs in a server and a live client.
import tseslint from 'typescript-eslint';
import solid from 'eslint-plugin-solid/configs/typescript';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'coverage/**', 'scratch/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // The SQLite stores implement async interfaces with synchronous bodies on purpose: a PostgreSQL store
      // behind the same interface will await. An async function without await is intended there.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['client/**/*.tsx'], ...solid },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
