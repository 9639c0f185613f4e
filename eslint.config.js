import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './eslint-rules/layer-boundaries.js';

/** Packages and folders that speak HTTP or touch the network. */
const HTTP = [
  'fastify',
  '@fastify',
  'undici',
  'node:http',
  'node:https',
  'node:http2',
  'soap',
  'jsforce',
];
/** Packages that reach outside the process: files, sockets, databases, child processes, logs. */
const IO = [
  ...HTTP,
  'node:fs',
  'node:net',
  'node:tls',
  'node:dgram',
  'node:dns',
  'node:child_process',
  'node:worker_threads',
  'node:readline',
  'pg',
  'better-sqlite3',
  'pino',
];

/**
 * The layer rules, one a line under its reason (prettier would fold the long ones), checked
 * on every import in src/ by `layers/boundaries` (eslint-rules/layer-boundaries.js). A broken
 * rule fails `npm test` with a message naming it.
 */
// prettier-ignore
const LAYER_RULES = [
  // The listener acks once a notification is stored and must stay up while the worker is down (role: listener), so it cannot load the worker.
  { name: 'listener-not-worker', from: 'src/listener', forbid: ['src/worker'] },
  // The worker runs alone with role: worker; it reads the inbox, never the listener's HTTP side.
  { name: 'worker-not-listener', from: 'src/worker', forbid: ['src/listener'] },
  // The CLI parses, calls and prints (commander, exit codes): a part that imported it would drag all of that into the library.
  { name: 'nothing-imports-cli', from: 'src', forbid: ['src/cli'] },
  // The inbox is storage behind one contract; HTTP belongs to the listener (in) and the Salesforce and ERP adapters (out).
  { name: 'inbox-no-http', from: 'src/inbox', forbid: [...HTTP, 'src/listener', 'src/dashboard', 'src/salesforce', 'src/erp', 'src/emulator'] },
  // soap/ is pure parse and render, tested and fuzzed without files or sockets; every other folder does I/O or leads to it (shared/ is allowed: importing it does no I/O, and soap/ calls none of its logging).
  { name: 'soap-no-io', from: 'src/soap', forbid: [...IO, 'src/*'] },
  // shared/ sits beneath every layer and every folder may import it: a folder it imported would come along into all of them, and the first cycle with it.
  { name: 'shared-imports-no-folder', from: 'src/shared', forbid: ['src/*'] },
  // The reference ERP is a program of its own (Fastify over SQLite): the relay's runtime parts reach an ERP only through erp/'s port and HTTP adapter, so a worker never loads the stand-in.
  { name: 'relay-runtime-not-erp-service', from: ['src/listener', 'src/worker', 'src/inbox', 'src/relay', 'src/salesforce', 'src/erp'], forbid: ['src/erp-service'] },
  // The emulator stands in for Salesforce: if it ran the relay's own parts, a relay bug could hide itself in the test org.
  { name: 'emulator-not-relay-runtime', from: 'src/emulator', forbid: ['src/listener', 'src/worker', 'src/inbox', 'src/relay'] },
  // A folder's index.ts is its public face: reaching past it ties the importer to files the owner may move or split.
  { name: 'through-index', from: 'src', throughIndex: true },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { layers },
    rules: {
      'layers/boundaries': [
        'error',
        {
          rootDir: fileURLToPath(new URL('.', import.meta.url)),
          // The shared layer: importable from every folder (through its index).
          shared: 'shared',
          rules: LAYER_RULES,
        },
      ],
    },
  },
);
