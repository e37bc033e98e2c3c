import { packageConfig } from '../../tsup.base.js';

// One output module per source file (not one bundle): with `sideEffects: false`, a bundler then
// drops every module a page does not use, so a report form pays for the report schemas only and
// not for OpenAPI, webhooks or the admin-area presets.
export default packageConfig({
  platform: 'neutral',
  entry: ['src/**/*.ts', '!src/**/*.test.ts'],
  bundle: false,
  dts: {
    entry: 'src/index.ts',
    compilerOptions: { customConditions: [] },
  },
});
