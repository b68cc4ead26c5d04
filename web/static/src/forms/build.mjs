// Builds web/static/vendor/forms/forms.bundle.js (run by scripts/setup.sh: node build.mjs OUTFILE): the form-js
// editor (pinned in package.json) with the project's page script, one file the CSP (script-src 'self') allows.
// form-js sets element styles through the CSSOM (allowed by style-src 'self'); its CSS is served as files.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';

// form-js-editor pins its own preact (<=10.15.1) while @bpmn-io/properties-panel and form-js-viewer use the top
// one: two copies break preact's hooks («reading 'context'»), so every import of preact resolves to the top copy.
const root = new URL('../../../../', import.meta.url).pathname;
const onePreact = {
  name: 'one-preact',
  setup(context) {
    context.onResolve({ filter: /^preact(\/|$)/ }, (args) => {
      if (args.pluginData === 'one-preact') { return undefined; }
      return context.resolve(args.path, { kind: args.kind, resolveDir: root, pluginData: 'one-preact' });
    });
  }
};

// The properties panel's FEEL fields are CodeMirror editors whose styles style-mod puts in a <style> element, which
// the CSP refuses; a constructable stylesheet (document.adoptedStyleSheets, CSSOM) is allowed: use it for the page.
const STYLE_TAG = 'if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {';
const adoptedStyles = {
  name: 'adopted-styles',
  setup(context) {
    context.onLoad({ filter: /style-mod[\\/]src[\\/]style-mod\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes(STYLE_TAG)) { throw new Error('style-mod changed: no document <style> branch to replace'); }
      return { contents: text.replace(STYLE_TAG, 'if (root.adoptedStyleSheets && win.CSSStyleSheet) {'), loader: 'js' };
    });
  }
};

await build({
  entryPoints: [new URL('./index.js', import.meta.url).pathname],
  bundle: true,
  minify: process.env.NASTAVNIK_NO_MINIFY !== '1',
  format: 'iife',
  target: 'es2019',
  legalComments: 'linked',
  logLevel: 'warning',
  outfile: process.argv[2],
  plugins: [onePreact, adoptedStyles]
});
