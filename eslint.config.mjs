import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Where each layer may reach (ARCHITECTURE.md): the core is plain Node; only src/vscode and src/cli sit on top. */
const LAYER_ZONES = [
  {
    target: './src/core',
    from: [
      './src/vscode',
      './src/cli',
      './src/engine-client',
      './src/engine-host',
      './src/protocol.ts',
      './src/chatProtocol.ts',
    ],
    message: 'src/core is the bottom layer: it imports nothing of the editor, the CLI or the engine host',
  },
  {
    target: './src/engine-client',
    from: ['./src/vscode', './src/cli', './src/engine-host'],
    message: 'src/engine-client is editor-free: the editor (src/vscode) uses it, not the other way round',
  },
  {
    target: './src/engine-host',
    from: ['./src/vscode', './src/cli', './src/engine-client'],
    message: 'the engine host runs the core behind the protocol, nothing else',
  },
  {
    target: './src/cli',
    from: ['./src/vscode', './src/engine-client', './src/engine-host'],
    message: 'the CLI runs the core in its own process',
  },
];
const EDITOR_API = { name: 'vscode', message: 'only src/vscode imports the editor API' };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'models/build/work/**',
      'media/dist/**',
      '.vscode-test/**',
      'test/fixtures/*.cjs',
      'test-results/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
      // no-cycle parses the files an import leads to: with the TypeScript parser.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/engine-client/**/*.ts', 'src/engine-host/**/*.ts', 'src/cli/**/*.ts', 'src/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [EDITOR_API] }] },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
);
