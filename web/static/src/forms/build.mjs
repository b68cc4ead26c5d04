// Builds web/static/vendor/forms/forms.bundle.js (run by scripts/setup.sh: node build.mjs OUTFILE): the form-js
// editor (pinned in package.json) with the project's page script, one file the CSP (script-src 'self') allows.
// form-js sets element styles through the CSSOM (allowed by style-src 'self'); its CSS is served as files.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./index.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'linked',
  logLevel: 'warning',
  outfile: process.argv[2]
});
