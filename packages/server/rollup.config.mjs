// The library (dist/index.*) and the `tether-server` CLI (dist/cli.*) that bin/tether-server.mjs runs
// in an installed package.
import { packageBuild } from '../../rollup.package.mjs';

export default [...packageBuild(), ...packageBuild('src/cli.ts', 'cli')];
