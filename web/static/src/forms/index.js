/* The methodologist's form designer (web/templates/designed_forms/editor.html): the form-js editor (pinned, bundled
 * by esbuild), loading the version's schema from data-schema-url, saving the draft as JSON with the CSRF token. */
import { FormEditor } from '@bpmn-io/form-js-editor';
import { russianFields, translateEditor } from './ru';

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : '';
}

function show(text, ok) {
  const status = document.getElementById('form-status');
  status.textContent = text;
  status.hidden = false;
  status.className = ok ? 'notice notice--ok' : 'notice notice--error';
}

async function start() {
  const container = document.getElementById('form-editor');
  if (!container) { return; }
  const editor = new FormEditor({ container: container, additionalModules: [russianFields] });
  window.nastavnikFormEditor = editor;
  translateEditor(container);
  const loaded = await fetch(container.dataset.schemaUrl, { credentials: 'same-origin' }).then(function(r) { return r.json(); });
  await editor.importSchema(loaded.schema);
  container.dataset.ready = '1';
  document.getElementById('form-save').addEventListener('click', async function() {
    const body = { title: document.getElementById('form-title').value, schema: editor.saveSchema() };
    let result;
    try {
      const response = await fetch(container.dataset.saveUrl, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf() }, body: JSON.stringify(body)
      });
      result = await response.json();
    } catch (error) {
      show('Не удалось сохранить: нет связи с сервером.', false);
      return;
    }
    if (!result.ok) { show(result.message, false); return; }
    const problems = result.problems && result.problems.length ?
      ' Перед развёртыванием исправьте: ' + result.problems.join('; ') + '.' : '';
    show(result.message + problems, !problems);
    if (!document.getElementById('form-deploy')) { window.location.assign(container.dataset.reloadUrl); }
  });
}

start();
