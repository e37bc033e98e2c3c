import { packageConfig } from '../../tsup.base.js';

// The example runs from its build: Node 20 cannot run TypeScript directly.
export default packageConfig({ entry: ['src/index.ts', 'src/cli.ts'], platform: 'node', dts: false });
