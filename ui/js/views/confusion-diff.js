// The compare page's confusion change: per class, how a run's recall moved against the pinned
// baseline, fold by fold on the folds both finished (GET /api/runs/{id}/confusion-diff?against=).

import { api } from '../api.js';
import * as study from '../study-charts.js';
import { h, pct, runLabel, showError } from '../dom.js';

const pp = d => `${d < 0 ? '−' : '+'}${Math.abs(d * 100).toFixed(1)} pp`;

/** Returns the section and show(baseRun), which redraws it against that baseline. */
export function confusionDiffSection(ctx, runs, label = runLabel) {
  let base = null;
  let other = null;
  const select = h('select', { id: 'confusion-other', onchange: e => { other = Number(e.target.value); draw().catch(showError); } });
  const note = h('p', { class: 'muted small', id: 'confusion-diff-note' });
  const chartEl = h('div', { class: 'chart', id: 'chart-confusion-diff' });
  const table = h('table', { class: 'data', id: 'confusion-diff-table' });
  let chart = null;
  const section = h('section', {}, h('h2', {}, 'Confusion change against the baseline ', h('label', { class: 'small' }, 'run ', select)),
    note, h('div', { class: 'chart-row' }, h('div', { class: 'half' }, chartEl), h('div', { class: 'half' }, table)));

  async function draw() {
    const answer = await api.confusionDiff(other, base.id).catch(e => {
      note.textContent = e.message;
      chartEl.hidden = table.hidden = true;
      return null;
    });
    if (!answer || !ctx.alive) return;
    const { diff } = answer;
    chartEl.hidden = table.hidden = false;
    note.textContent = `Recall per class of ${label(runs.find(r => r.id === other))} minus the baseline's, at each fold's `
      + `${answer.epoch} (where the confusion matrix is recorded), on the ${diff.folds.length} folds both finished `
      + `(${diff.folds.join(', ')}); bars are the mean change, whiskers the lowest and highest fold, dots the single folds.`
      + (answer.sameSplits ? '' : ' The two runs split the data differently: the folds are not paired.');
    (chart ??= ctx.chart(chartEl)).setOption(study.confusionChange(diff), true);
    table.replaceChildren(
      h('thead', {}, h('tr', {}, ['class', 'baseline recall', 'recall', 'change (mean ± std)', 'fold range'].map(t => h('th', {}, t)))),
      h('tbody', {}, diff.classes.map(c => h('tr', { class: c.change > 0 ? 'better' : c.change < 0 ? 'worse' : '' },
        h('td', {}, c.label), h('td', { class: 'num' }, pct(c.baseRecall)), h('td', { class: 'num' }, pct(c.otherRecall)),
        h('td', { class: 'num' }, `${pp(c.change)} ± ${(c.std * 100).toFixed(1)}`),
        h('td', { class: 'num' }, `${pp(c.min)} … ${pp(c.max)}`)))));
  }

  function show(baseRun) {
    base = baseRun;
    const others = runs.filter(r => r.id !== base.id);
    section.hidden = others.length === 0;
    if (!others.length) return;
    if (!others.some(r => r.id === other)) other = others[0].id;
    select.replaceChildren(...others.map(r => h('option', { value: r.id, selected: r.id === other }, label(r))));
    draw().catch(showError);
  }

  return { section, show };
}
