// #/try?model=: drop or pick an image, POST it raw to /api/predict, show the top classes as bars.

import { api } from '../api.js';
import { h, pct, showError } from '../dom.js';

export async function tryView(root, ctx) {
  const preview = h('img', { class: 'preview', id: 'preview', alt: '', hidden: true });
  const input = h('input', { type: 'file', id: 'image-input', accept: 'image/jpeg,image/png', onchange: e => pick(e.target.files[0]) });
  const drop = h('div', { class: 'dropzone', id: 'dropzone' },
    h('p', {}, 'Drop a JPEG or PNG here, or pick one: '), input, preview);
  const modelSelect = h('select', { id: 'model-select' }, h('option', { value: '' }, 'served model (default)'));
  const result = h('div', { id: 'predictions', class: 'predictions' });
  const info = h('p', { class: 'muted small', id: 'prediction-info' });
  root.append(h('h1', {}, 'Try it'), h('p', {}, h('label', {}, 'Model ', modelSelect)), drop, info, result);

  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    pick(e.dataTransfer.files[0]);
  });

  async function pick(file) {
    if (!file) return;
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
    result.replaceChildren(h('p', { class: 'muted' }, 'Predicting…'));
    info.textContent = '';
    try {
      const answer = await api.predict(file, { topK: 5, model: modelSelect.value });
      if (!ctx.alive) return;
      const model = answer.model ?? {};
      const version = model.version === null || model.version === undefined ? '' : ` v${model.version}`;
      info.textContent = `${model.name ?? 'model'}${version} · ${Number(answer.tookMs).toFixed(1)} ms`;
      result.replaceChildren(...answer.predictions.map(p => h('div', { class: 'prediction' },
        h('span', { class: 'prediction-label' }, p.label),
        h('div', { class: 'bar' }, h('div', { class: 'bar-fill', style: { width: `${(p.probability * 100).toFixed(1)}%` } })),
        h('span', { class: 'prediction-value' }, pct(p.probability)))));
    } catch (e) {
      result.replaceChildren();
      preview.hidden = true; // the browser may not be able to show what the server refused
      showError(e);
    }
  }

  // The model list is optional: without it the served model still answers.
  try {
    const models = await api.models();
    const wanted = ctx.query.get('model');
    modelSelect.append(...models.map(m => h('option', { value: m.id, selected: String(m.id) === wanted },
      `${m.name} v${m.version}${m.stage === 'SERVED' ? ' (served)' : ''}`)));
  } catch (e) {
    if (ctx.alive) showError(e);
  }
}
