// #/experiments: every experiment with its run counts by status.

import { api } from '../api.js';
import { dateTime, h, statusBadge } from '../dom.js';

export async function experimentsView(root, ctx) {
  const activeStatuses = await api.activeStatuses();
  const body = h('tbody');
  root.append(
    h('h1', {}, 'Experiments'),
    h('table', { class: 'data', id: 'experiments-table' },
      h('thead', {}, h('tr', {}, ['#', 'Name', 'Dataset', 'Created', 'Runs', 'Status'].map(t => h('th', {}, t)))),
      body),
  );

  const load = async () => {
    const experiments = await api.experiments();
    body.replaceChildren(...experiments.map(row));
    if (!experiments.length) {
      body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' },
        'No experiments yet: POST a spec to /api/experiments (see the tracker README).')));
    }
    return experiments.some(e => Object.entries(e.runsByStatus ?? {}).some(([s, n]) => activeStatuses.has(s) && n > 0));
  };
  if (await load()) ctx.every(5000, load);
}

function row(e) {
  const counts = Object.entries(e.runsByStatus ?? {}).filter(([, n]) => n > 0)
    .map(([status, n]) => h('span', { class: 'count' }, statusBadge(status), ` ${n}`));
  return h('tr', { 'data-id': e.id },
    h('td', {}, e.id),
    h('td', {}, h('a', { href: `#/experiments/${e.id}` }, e.name), e.description ? h('div', { class: 'muted small' }, e.description) : null),
    h('td', { class: 'mono small' }, e.dataset),
    h('td', {}, dateTime(e.createdAt), e.createdBy ? h('div', { class: 'muted small' }, e.createdBy) : null),
    h('td', { class: 'num' }, e.runCount),
    h('td', {}, counts));
}
