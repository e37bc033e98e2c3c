import { packageConfig } from '../../tsup.base.js';

// Three entries: the whole client, `./reports` (createReportSubmitter) for pages that only submit
// reports, and `./reports-unchecked` (createReportSender: the same without zod). Splitting puts the
// code they share — transport, errors — in shared chunks, so an application that imports several
// gets one set of error classes (`instanceof` holds across entries); a chunk holds only what every
// entry that imports it uses, so `./reports-unchecked` loads no zod.
export default packageConfig({
  platform: 'neutral',
  entry: ['src/index.ts', 'src/reports.ts', 'src/reports-unchecked.ts'],
  splitting: true,
});
