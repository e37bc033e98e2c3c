import { packageConfig } from '../../tsup.base.js';

// Two entries: the whole client, and `./reports` (createReportSubmitter) for pages that only submit
// reports. Splitting puts the code they share — transport, errors, validation — in one chunk, so an
// application that imports both gets one set of error classes (`instanceof` holds across entries).
export default packageConfig({
  platform: 'neutral',
  entry: ['src/index.ts', 'src/reports.ts'],
  splitting: true,
});
