// The search section of an experiment page, from GET /api/experiments/{id}/search: the compute spent
// against a full grid (every run, every fold, every epoch) for any experiment, and for an ASHA search
// its rungs (runs that reached each, promoted, stopped, waiting) and every run's rung and scores.

import { api } from '../api.js';
import { h, num, pct, statusBadge } from '../dom.js';

/** Returns the section to append and refresh(), which reloads it (also for live updates). */
export function searchSection(experimentId) {
  const compute = h('p', { id: 'compute-saved' });
  const rungs = h('table', { class: 'data', id: 'rungs-table', hidden: true });
  const runs = h('table', { class: 'data', id: 'rung-runs-table', hidden: true });
  const note = h('p', { class: 'muted small', id: 'search-note' });
  const element = h('section', { id: 'search' }, h('h2', {}, 'Compute and early stopping'), compute, note, rungs, runs);

  async function refresh() {
    const answer = await api.search(experimentId);
    const c = answer.compute;
    const hours = x => `${num(x, x < 1 ? 3 : 1)} ${c.device}-hours`;
    compute.textContent = c.foldEpochsTrained === 0 ? `No epoch trained yet of ${c.foldEpochsFullGrid} fold-epochs.`
      : `Spent ${hours(c.hoursSpent)} of ${hours(c.hoursFullGrid)} for the full grid`
        + ` (${c.foldEpochsTrained} of ${c.foldEpochsFullGrid} fold-epochs): ${pct(c.savedFraction)} saved.`;
    const search = answer.search;
    rungs.hidden = runs.hidden = !search;
    if (!search) {
      note.textContent = 'Every run trains every fold to its last epoch (no "search" in the spec).';
      return;
    }
    note.textContent = `ASHA: rungs at ${search.minEpochs} × ${search.reductionFactor}^i epochs; at each rung the top`
      + ` 1/${search.reductionFactor} of the runs recorded there go on, the rest stop early.`;
    rungs.replaceChildren(
      h('thead', {}, h('tr', {}, ['Rung', 'Epochs', 'Reached', 'Promoted', 'Stopped', 'Waiting'].map(t => h('th', {}, t)))),
      h('tbody', {}, answer.rungs.map(r => h('tr', { 'data-rung': r.rung },
        [r.rung, r.epoch, r.arrivals, r.promoted, r.stopped, r.waiting].map(v => h('td', { class: 'num' }, String(v)))))));
    const top = Math.max(0, ...answer.runs.map(r => r.rungs.length));
    runs.replaceChildren(
      h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Run'), h('th', {}, 'Status'), h('th', {}, 'Rung reached'),
        [...Array(top).keys()].map(i => h('th', { class: 'num' }, `Score at rung ${i}`)))),
      h('tbody', {}, answer.runs.map(r => h('tr', { 'data-run': r.runId, title: r.stopReason ?? '' },
        h('td', {}, h('a', { href: `#/runs/${r.runId}` }, `#${r.runId}`)), h('td', {}, r.label),
        h('td', {}, statusBadge(r.status)),
        h('td', { class: 'rung-reached' }, r.rungReached === null ? '—' : `${r.rungReached} (${r.epochReached} epochs)`),
        [...Array(top).keys()].map(i => {
          const s = r.rungs[i];
          return h('td', { class: `num ${s?.decision ? `decision-${s.decision.toLowerCase()}` : ''}`, title: s?.reason ?? '' },
            s ? `${pct(s.score)} ${s.decision === 'PROMOTED' ? '↑' : s.decision === 'STOPPED' ? '✕' : '…'}` : '');
        })))));
  }
  return { element, refresh };
}
