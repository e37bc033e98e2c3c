/**
 * What the Tahaffuz test suites share, defined once: fresh databases per test file on each backend,
 * ports, rejections, JSON mutations and checks that a package's build is there. Never published;
 * depends on no other workspace package, so no build cycle can appear.
 *
 * @packageDocumentation
 */
export {
  type BackendName,
  describeEachBackend,
  postgresBackend,
  selectedBackends,
  sqliteBackend,
  type TestBackend,
  type TestDatabase,
  type TestDatabaseConfig,
} from './databases.js';
export { createPostgresDatabase, dropPostgresDatabases, POSTGRES_TEST_URL, postgresProblem } from './postgres.js';
export { ensureBuilt, isStale } from './ensure-built.js';
export {
  deeplyNested,
  edit,
  HOSTILE_STRINGS,
  type Json,
  type JsonNode,
  type JsonPath,
  jsonValue,
  type Mutation,
  mutationsOf,
  nodesOf,
  PROTOTYPE_KEYS,
} from './json-mutations.js';
export { rejection } from './rejection.js';
export { CHROMIUM, CHROMIUM_ARGS, launchChromium, skipWithoutChromium } from './chromium.js';
