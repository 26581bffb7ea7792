// Bundles charts.js into ../generator/site/vega.js (one minified plain script) whose first line names
// what it holds.
// Run by `make runtime`, after `npm ci` has installed package-lock.json's exact versions.
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {build} from 'esbuild';

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const result = await build({
  entryPoints: ['charts.js'], bundle: true, minify: true, format: 'iife', target: 'es2020',
  legalComments: 'none', write: false, outfile: 'vega.js', charset: 'utf8', metafile: true
});
// every package some of whose code is in the bundle, with its version and licence
const packages = new Set();
for (const [path, input] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
  if (input.bytesInOutput > 0) {
    const m = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) packages.add(m[1]);
  }
}
const held = [...packages].sort().map((name) => {
  const meta = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8'));
  return `${name} ${meta.version} (${meta.license})`;
}).join(', ');
const head = `/* cakupan chart runtime. charts.js ${sha256('charts.js')}, package-lock.json ` +
  `${sha256('package-lock.json')}. Holds: ${held}. */\n`;
writeFileSync('../generator/site/vega.js', head + result.outputFiles[0].text);
