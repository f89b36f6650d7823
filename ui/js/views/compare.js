// #/compare?ids=1,2,3&base=1&metric=: runs side by side. One run is pinned as the baseline; the others
// show their results and numeric hyperparameters as deltas against it. Rows that differ are highlighted.

import { api } from '../api.js';
import * as charts from '../charts.js';
import { duration, format, h, num, pct, runLabel, showError } from '../dom.js';
import { confusionDiffSection } from './confusion-diff.js';

// Result rows: how to print a value and a delta, and which direction is better.
const RESULTS = [
  { key: 'meanAccuracy', title: 'fold accuracy (mean)', show: pct, delta: d => signed(d * 100, 1, ' pt'), better: 1 },
  { key: 'stdAccuracy', title: 'fold accuracy (std)', show: pct, delta: d => signed(d * 100, 1, ' pt'), better: -1 },
  { key: 'testAccuracy', title: 'test accuracy', show: pct, delta: d => signed(d * 100, 1, ' pt'), better: 1 },
  { key: 'imagesPerSec', title: 'images/s', show: v => num(v), delta: d => signed(d, 0), better: 1 },
  { key: 'durationSeconds', title: 'time', show: duration, delta: d => `${d < 0 ? '−' : '+'}${duration(Math.abs(d))}`, better: -1 },
];

export async function compareView(root, ctx) {
  const ids = (ctx.query.get('ids') || '').split(',').map(s => s.trim()).filter(Boolean);
  if (ids.length < 1) {
    root.append(h('h1', {}, 'Compare runs'), h('p', { class: 'muted' }, 'Tick runs in an experiment\'s table and press "Compare selected".'));
    return;
  }
  const data = await api.compare(ids);
  const runs = data.runs;
  // Runs are named by what differs between them (any swept field), e.g. "#21 weightDecay 0.005, augmentation crop-flip".
  const differing = data.parameters.filter(p => p.differs);
  const label = r => {
    const i = runs.indexOf(r);
    return differing.length ? `#${r.id} ${differing.map(p => `${p.name} ${format(p.values[i])}`).join(', ')}` : runLabel(r);
  };
  let base = Number(ctx.query.get('base') || runs[0].id);
  let onlyDiffering = ctx.query.get('only') === '1';
  let metric = ctx.query.get('metric') || 'best';

  const table = h('table', { class: 'data compare', id: 'compare-table' });
  const onlyBox = h('input', { type: 'checkbox', id: 'only-differing', checked: onlyDiffering, onchange: e => {
    onlyDiffering = e.target.checked;
    save();
    render();
  } });
  const metricSelect = h('select', { id: 'compare-metric', onchange: e => { metric = e.target.value; save(); render(); } },
    [['best', 'best epoch'], ['last', 'last epoch'], ['mean-last-3', 'mean of the last 3 epochs']].map(([key, text]) =>
      h('option', { value: key, selected: key === metric }, text)));
  const confusion = confusionDiffSection(ctx, runs, label);
  const accEl = h('div', { class: 'chart half', id: 'chart-compare-acc' });
  const lossEl = h('div', { class: 'chart half', id: 'chart-compare-loss' });
  root.append(
    h('h1', {}, `Compare ${runs.length} runs`),
    h('p', { class: 'muted small' }, 'The pinned run is the baseline; the other columns show deltas against it. Highlighted rows differ between runs.'),
    h('div', { class: 'toolbar' }, h('label', {}, onlyBox, ' only hyperparameters that differ'),
      h('label', { title: 'How each fold is summed up for the paired verdict' }, 'fold summary ', metricSelect)),
    table,
    confusion.section,
    h('section', {}, h('h2', {}, 'Learning curves (mean over folds)'), h('div', { class: 'chart-row' }, accEl, lossEl)),
  );
  const save = () => ctx.replaceQuery({ ids: ids.join(','), base, only: onlyDiffering ? '1' : '', metric: metric === 'best' ? '' : metric });

  // The paired verdicts against the baseline, over the folds both runs finished (same experiment only).
  let verdicts = new Map();
  let summaryTitle = '';
  async function loadVerdicts() {
    const baseRun = runs.find(r => r.id === base) || runs[0];
    verdicts = new Map();
    try {
      const c = await api.comparison(baseRun.experimentId, baseRun.id, metric);
      summaryTitle = c.summary.title;
      for (const row of c.rows) verdicts.set(row.run.runId, row);
    } catch (e) {
      if (ctx.alive) showError(e);
    }
  }

  function verdictRow(baseIndex) {
    return h('tr', { class: 'verdict', 'data-name': 'verdict' }, h('th', { title: 'each fold summed up at its ' + summaryTitle }, summaryTitle ? `paired over folds (${summaryTitle})` : 'paired over folds'), runs.map((r, i) => {
      if (i === baseIndex) return h('td', { class: 'baseline muted small' }, 'baseline');
      const row = verdicts.get(r.id);
      if (!row) return h('td', { class: 'muted small' }, 'another experiment: folds not shared');
      const tone = row.distinguishable ? (row.stats.meanDifference > 0 ? 'better' : 'worse') : '';
      return h('td', { class: `small ${tone}` }, row.verdict);
    }));
  }

  async function render() {
    await loadVerdicts();
    const baseIndex = Math.max(0, runs.findIndex(r => r.id === base));
    confusion.show(runs[baseIndex]);
    const head = h('tr', {}, h('th', {}, ''), runs.map((r, i) => h('th', { class: i === baseIndex ? 'baseline' : '', 'data-run': r.id },
      h('a', { href: `#/runs/${r.id}` }, label(r)), h('br'),
      i === baseIndex
        ? h('span', { class: 'pin pinned' }, 'baseline')
        : h('button', { type: 'button', class: 'pin', onclick: () => { base = r.id; save(); render(); } }, 'pin as baseline'))));

    const resultRows = RESULTS.map(spec => {
      const values = runs.map(r => r[spec.key]);
      return h('tr', { class: 'result', 'data-name': spec.key }, h('th', {}, spec.title), values.map((v, i) => {
        const b = values[baseIndex];
        if (i === baseIndex || v === null || v === undefined || b === null || b === undefined) {
          return h('td', { class: `num ${i === baseIndex ? 'baseline' : ''}` }, spec.show(v));
        }
        const d = v - b;
        const tone = d === 0 ? '' : Math.sign(d) === spec.better ? 'better' : 'worse';
        return h('td', { class: 'num' }, spec.show(v), ' ', h('span', { class: `delta ${tone}` }, d === 0 ? '±0' : spec.delta(d)));
      }));
    });

    const paramRows = data.parameters.filter(p => p.differs || !onlyDiffering).map(p =>
      h('tr', { class: `param ${p.differs ? 'differs' : ''}`, 'data-name': p.name }, h('th', {}, p.name), p.values.map((v, i) => {
        const b = p.values[baseIndex];
        if (i === baseIndex) return h('td', { class: 'baseline' }, format(v));
        if (typeof v === 'number' && typeof b === 'number' && v !== b) {
          return h('td', { class: 'changed' }, format(v), ' ', h('span', { class: 'delta' }, signed(v - b)));
        }
        return h('td', { class: JSON.stringify(v) === JSON.stringify(b) ? '' : 'changed' }, format(v));
      })));

    table.replaceChildren(h('thead', {}, head), h('tbody', {},
      h('tr', { class: 'section' }, h('th', { colspan: runs.length + 1 }, 'Results')), resultRows, verdictRow(baseIndex),
      h('tr', { class: 'section' }, h('th', { colspan: runs.length + 1 }, 'Hyperparameters')), paramRows));
  }
  await render();

  // Curves need each run's folds; a failure here leaves the table usable.
  try {
    const details = await Promise.all(runs.map(r => api.run(r.id)));
    const lines = field => details.map((run, i) => ({ name: label(runs[i]), colorIndex: i, points: charts.meanCurve(run, field) }));
    ctx.chart(accEl).setOption(charts.curves(lines('valAccuracy'), { yName: 'validation accuracy', percent: true }));
    ctx.chart(lossEl).setOption(charts.curves(lines('valLoss'), { yName: 'validation loss' }));
  } catch (e) {
    if (ctx.alive) showError(e);
  }
}

/** +1.5 / −16: fixed digits when given (results), else as short as the number allows (hyperparameters). */
function signed(d, digits, unit = '') {
  const text = digits === undefined ? String(Number(Math.abs(d).toPrecision(12))) : Math.abs(d).toFixed(digits);
  return `${d < 0 ? '−' : '+'}${text}${unit}`;
}
