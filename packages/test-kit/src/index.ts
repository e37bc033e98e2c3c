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
