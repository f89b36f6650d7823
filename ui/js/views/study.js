// The study sections of an experiment page: accuracy by any swept field (x axis and lines chosen),
// parallel coordinates, and accuracy against wall time or images seen. Every number comes from
// /api/experiments/{id}/views/*, summed up per fold by the chosen summary metric (?metric=), whose
// name the page shows beside the numbers. Field names and descriptions come from /api/schema.

import { api } from '../api.js';
import * as study from '../study-charts.js';
import { h, showError } from '../dom.js';

/** The summary metrics offered; the server names each one (answer.metric.title). */
const METRICS = [['best', 'best epoch'], ['last', 'last epoch'], ['mean-last-3', 'mean of the last 3 epochs'],
  ['mean-last-5', 'mean of the last 5 epochs']];

/**
 * state: {metric, x, series, time} from the page's URL; onChange() saves it there.
 * Returns the sections to append and refresh(), which reloads every chart (also for live updates).
 */
export function studySections(ctx, experimentId, state, onChange) {
  const metricSelect = h('select', { id: 'metric-select', onchange: e => change('metric', e.target.value) });
  const xSelect = h('select', { id: 'x-select', onchange: e => change('x', e.target.value) });
  const seriesSelect = h('select', { id: 'series-select', onchange: e => change('series', e.target.value) });
  const timeSelect = h('select', { id: 'progress-x', onchange: e => change('time', e.target.value) },
    Object.entries(study.PROGRESS_AXES).map(([key, axis]) => h('option', { value: key, selected: state.time === key }, axis.name)));
  const byTitle = h('span', { id: 'by-title' }, 'Accuracy by batch size');
  const metricNote = h('p', { class: 'muted small', id: 'metric-note' });
  const byEl = h('div', { class: 'chart', id: 'chart-batch' });
  const byEmpty = h('p', { class: 'muted', hidden: true }, 'No finished folds yet.');
  const parallelEl = h('div', { class: 'chart', id: 'chart-parallel' });
  const parallelNote = h('p', { class: 'muted small', id: 'parallel-note' });
  const progressEl = h('div', { class: 'chart', id: 'chart-progress' });
  const progressEmpty = h('p', { class: 'muted', hidden: true }, 'No epochs recorded yet.');

  const elements = [
    h('section', {}, h('h2', {}, byTitle),
      h('div', { class: 'toolbar' },
        h('label', { title: 'How each fold\'s validation accuracy is summed up in one number' }, 'Summary ', metricSelect),
        h('label', {}, 'x axis ', xSelect), h('label', {}, 'lines ', seriesSelect)),
      metricNote, byEmpty, byEl),
    h('section', {}, h('h2', {}, 'Parallel coordinates'), parallelNote, parallelEl),
    h('section', {}, h('h2', {}, 'Accuracy against time'),
      h('div', { class: 'toolbar' }, h('label', {}, 'x axis ', timeSelect)),
      h('p', { class: 'muted small' }, 'Validation accuracy after each epoch, averaged over the folds that reached it, '
        + 'against the wall time those folds had trained (sum of epoch seconds) or the training images they had seen.'),
      progressEmpty, progressEl),
  ];

  function change(key, value) {
    state[key] = value;
    if (key === 'x' && state.series === value) state.series = '';
    onChange();
    refresh().catch(showError);
  }

  let byChart = null;
  let parallelChart = null;
  let progressChart = null;
  let titles = null;

  async function refresh() {
    titles ??= Object.fromEntries(((await api.schema().catch(() => null))?.fields ?? []).map(f => [f.name, f.description]));
    const [by, parallel, progress] = await Promise.all([
      api.accuracyBy(experimentId, { x: state.x, series: state.series, metric: state.metric }),
      api.parallel(experimentId, state.metric),
      api.progress(experimentId),
    ]);
    if (!ctx.alive) return;
    fillSelects(by);
    byTitle.textContent = `Accuracy by ${by.x}`;
    metricNote.textContent = `Mean fold accuracy at the ${by.metric.title} of each fold`
      + `${by.series ? `, one line per ${by.series}` : ''}; error bars are ± one standard deviation over folds, dots the single folds.`;
    byEmpty.hidden = by.points.length > 0;
    byEl.hidden = by.points.length === 0;
    if (by.points.length) (byChart ??= ctx.chart(byEl)).setOption(study.accuracyByField(by), true);

    const drawParallel = parallel.runs.length > 0 && parallel.fields.length > 0;
    parallelNote.textContent = drawParallel
      ? `One line per run with a finished fold: the fields that vary between the runs, then the mean fold accuracy (${parallel.metric.title}).`
      : parallel.fields.length ? 'No finished folds yet.' : 'No training field varies between the runs of this experiment.';
    parallelEl.hidden = !drawParallel;
    if (drawParallel) (parallelChart ??= ctx.chart(parallelEl)).setOption(study.parallelCoordinates(parallel), true);

    const anyEpoch = progress.runs.some(r => r.points.length);
    progressEmpty.hidden = anyEpoch;
    progressEl.hidden = !anyEpoch;
    if (anyEpoch) (progressChart ??= ctx.chart(progressEl)).setOption(study.progress(progress, state.time || 'seconds'), true);
  }

  function fillSelects(by) {
    const option = (value, text) => h('option', { value, selected: value === (state.metric || 'best'), title: titles[value] }, text);
    const metrics = METRICS.some(([key]) => key === by.metric.key) ? METRICS : [...METRICS, [by.metric.key, by.metric.title]];
    metricSelect.replaceChildren(...metrics.map(([key, text]) => option(key, text)));
    const fields = by.varying.includes(by.x) ? by.varying : [by.x, ...by.varying];
    xSelect.replaceChildren(...fields.map(f => h('option', { value: f, selected: f === by.x, title: titles[f] }, f)));
    seriesSelect.replaceChildren(h('option', { value: 'none', selected: !by.series }, 'one line'),
      ...by.varying.filter(f => f !== by.x).map(f => h('option', { value: f, selected: f === by.series, title: titles[f] }, f)));
  }

  return { elements, refresh };
}
