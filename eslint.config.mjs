// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const FOREIGN_ENTITIES = {
  group: ['../*/entities/*', '../../*/entities/*'],
  message: "Another module's entities: use its service and its public types (<module>.types.ts).",
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs', 'src/client/schema.d.ts', 'public/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    // The numerical core is pure: no framework, no I/O, no clock, no randomness.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'class-validator', 'class-transformer', 'pdfkit', 'pg'], message: 'src/core is framework-free.' },
            { group: ['**/modules/**', '**/common/**', '**/config/**', '**/database/**'], message: 'src/core may import only core.' },
            { group: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'http', 'node:http', 'net', 'node:net'], message: 'src/core does no I/O.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core never reads the environment.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is a parameter in src/core.' },
        { object: 'Math', property: 'random', message: 'Randomness is a seeded parameter in src/core.' },
      ],
    },
  },
  {
    // A module shows the others its module, services and public types (src/modules/module-boundaries.spec.ts
    // checks the whole rule); its entities stay inside, so no other module can query its tables.
    files: ['src/modules/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [FOREIGN_ENTITIES] }] },
  },
  {
    // Services take and return domain types; controllers map them to DTOs.
    files: ['src/modules/**/*.service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [FOREIGN_ENTITIES, { group: ['**/dto/*'], message: 'Only controllers and mappers use DTOs.' }] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
