// #/models: exported models with their metrics; "Serve" marks one as the model /api/predict uses.

import { api } from '../api.js';
import { bytes, dateTime, format, h, pct, showError } from '../dom.js';

const RATIO = /accuracy|precision|recall|f1/i; // metrics in 0..1, shown as percentages

export async function modelsView(root) {
  const body = h('tbody');
  root.append(
    h('h1', {}, 'Models'),
    h('p', { class: 'muted small' }, 'The served model answers "Try it" and POST /api/predict; with none served the repository\'s default model does.'),
    h('table', { class: 'data', id: 'models-table' },
      h('thead', {}, h('tr', {}, ['#', 'Name', 'Version', 'Run', 'Metrics', 'Size', 'SHA-256', 'Created', 'Stage', ''].map(t => h('th', {}, t)))),
      body));

  async function load() {
    const models = await api.models();
    body.replaceChildren(...models.map(m => h('tr', { 'data-id': m.id, class: m.stage === 'SERVED' ? 'served' : '' },
      h('td', {}, m.id),
      h('td', {}, m.name),
      h('td', {}, m.version),
      h('td', {}, m.runId ? h('a', { href: `#/runs/${m.runId}` }, `#${m.runId}`)
        : m.createdBy ? h('span', { class: 'muted', title: `imported by ${m.createdBy} (POST /api/models)` }, 'imported') : '—'),
      h('td', { class: 'small' }, Object.entries(m.metrics ?? {}).map(([k, v]) =>
        h('div', {}, `${k}: ${RATIO.test(k) && typeof v === 'number' ? pct(v) : format(v)}`))),
      h('td', { class: 'num' }, bytes(m.sizeBytes)),
      h('td', { class: 'mono small', title: m.sha256 }, (m.sha256 ?? '').slice(0, 12)),
      h('td', {}, dateTime(m.createdAt)),
      h('td', {}, h('span', { class: `badge stage-${String(m.stage).toLowerCase()}`,
        title: m.promotedBy ? `served by ${m.promotedBy}, ${dateTime(m.promotedAt)}` : null }, m.stage)),
      h('td', {}, m.stage === 'SERVED'
        ? h('a', { href: `#/try?model=${m.id}` }, 'Try it')
        : h('button', { type: 'button', class: 'promote', onclick: e => promote(e.target, m.id) }, 'Serve')))));
    if (!models.length) body.append(h('tr', {}, h('td', { colspan: 10, class: 'muted' }, 'No exported models yet.')));
  }

  async function promote(button, id) {
    button.disabled = true;
    try {
      await api.promoteModel(id);
      await load();
    } catch (e) {
      button.disabled = false;
      showError(e);
    }
  }

  await load();
}
