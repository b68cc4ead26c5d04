// Builds web/static/vendor/modeler/modeler.bundle.js (run by scripts/setup.sh: node build.mjs OUTFILE).
// The properties panel creates its two containers from HTML with inline style attributes, which the
// page's CSP (style-src 'self') refuses: they are removed here and set by methodology.css instead.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';

const INLINE_STYLES = [' style="height: 100%"', ' style="flex: none; height: auto"'];

const withoutInlineStyles = {
  name: 'without-inline-styles',
  setup(context) {
    context.onLoad({ filter: /bpmn-js-properties-panel[\\/]dist[\\/]index\.esm\.js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      for (const style of INLINE_STYLES) {
        if (!text.includes(style)) { throw new Error(`bpmn-js-properties-panel changed: no ${style} to remove`); }
        text = text.split(style).join('');
      }
      return { contents: text, loader: 'js' };
    });
  }
};

await build({
  entryPoints: [new URL('./index.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'linked',
  logLevel: 'warning',
  outfile: process.argv[2],
  plugins: [withoutInlineStyles]
});
