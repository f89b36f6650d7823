// #/runs/{id}?fold=: one run: summary, fold accuracies, learning curves per fold,
// the confusion matrix and per-class metrics of one fold, hyperparameters and environment.

import { api } from '../api.js';
import * as charts from '../charts.js';
import { dateTime, duration, h, keyValueTable, meanStd, num, pct, showError, statusCell } from '../dom.js';

export async function runView(root, ctx, runId) {
  let run = await api.run(runId);
  const activeStatuses = await api.activeStatuses();
  // the schema describes each training field; a tracker without it still shows the values
  const fieldTitles = Object.fromEntries(((await api.schema().catch(() => null))?.fields ?? [])
    .map(f => [f.name, f.range ? `${f.description}, ${f.range} (default ${f.defaultValue})` : `${f.description} (default ${f.defaultValue})`]));
  let fold = ctx.query.has('fold') ? Number(ctx.query.get('fold')) : defaultFold(run);

  const title = h('h1');
  const crumbs = h('p', { class: 'crumbs' });
  const status = h('div', { class: 'run-status', id: 'run-status' });
  const cards = h('div', { class: 'cards' });
  const errorBox = h('pre', { class: 'run-error', hidden: true });
  const foldsEl = h('div', { class: 'chart', id: 'chart-folds' });
  const accEl = h('div', { class: 'chart half', id: 'chart-run-acc' });
  const lossEl = h('div', { class: 'chart half', id: 'chart-run-loss' });
  // the curves' x axis: epochs, or the wall time each fold had trained by the end of the epoch
  const X_AXES = { epoch: 'epoch', time: 'wall time training (s)' };
  let xAxis = X_AXES[ctx.query.get('x')] ? ctx.query.get('x') : 'epoch';
  const xSelect = h('select', { id: 'curves-x', onchange: e => {
    xAxis = e.target.value;
    ctx.replaceQuery({ fold, x: xAxis === 'epoch' ? null : xAxis });
    show();
  } }, ...Object.entries(X_AXES).map(([value, label]) => h('option', { value, selected: value === xAxis }, label)));
  const foldSelect = h('select', { id: 'fold-select', onchange: e => {
    fold = Number(e.target.value);
    ctx.replaceQuery({ fold, x: xAxis === 'epoch' ? null : xAxis });
    showFold();
  } });
  const confusionEl = h('div', { class: 'chart square', id: 'chart-confusion' });
  const confusionNote = h('p', { class: 'muted', hidden: true }, 'No confusion matrix for this fold yet.');
  const perClass = h('div', { id: 'per-class' });
  const params = h('div');
  const env = h('div');

  root.append(crumbs, title, status, errorBox, cards,
    h('section', {}, h('h2', {}, 'Fold accuracies'), foldsEl),
    h('section', {}, h('h2', {}, 'Learning curves per fold ', h('label', { class: 'small' }, 'against ', xSelect)), h('div', { class: 'chart-row' }, accEl, lossEl)),
    h('section', {}, h('h2', {}, 'Confusion matrix and per-class metrics ', h('label', { class: 'small' }, 'fold ', foldSelect)),
      h('div', { class: 'chart-row' }, h('div', { class: 'half' }, confusionNote, confusionEl), h('div', { class: 'half' }, perClass))),
    h('div', { class: 'chart-row' },
      h('section', { class: 'half' }, h('h2', {}, 'Hyperparameters'), params),
      h('section', { class: 'half' }, h('h2', {}, 'Environment'), env)));

  const foldsChart = ctx.chart(foldsEl);
  const accChart = ctx.chart(accEl);
  const lossChart = ctx.chart(lossEl);
  let confusionChart = null;

  function show() {
    crumbs.replaceChildren(h('a', { href: '#/experiments' }, 'Experiments'), ' / ',
      h('a', { href: `#/experiments/${run.experimentId}` }, `experiment ${run.experimentId}`), ' / ', `run ${run.id}`);
    title.textContent = `Run #${run.id}: ${run.architecture}, batch size ${run.batchSize}`;
    status.replaceChildren(...statusCell(run), run.cancelledBy ? h('span', { class: 'muted small', id: 'cancelled-by' },
      ` cancelled by ${run.cancelledBy}`) : '', run.stopReason ? h('span', { class: 'muted small', id: 'stop-reason' },
      ` ${run.stopReason}`) : '', cancelButton() ?? '', retryButton() ?? '');
    errorBox.hidden = !run.error;
    errorBox.textContent = run.error ?? '';
    cards.replaceChildren(
      card('Fold accuracy', meanStd(run.meanAccuracy, run.stdAccuracy), 'card-mean'),
      card('Test accuracy', pct(run.testAccuracy), 'card-test'),
      card('Images/s', num(run.imagesPerSec)),
      card('Time', duration(run.durationSeconds)),
      card('Started', dateTime(run.startedAt)),
      card('Finished', dateTime(run.finishedAt)));
    const folds = run.folds ?? [];
    foldsChart.setOption(charts.foldAccuracies(folds), true);
    const perFold = field => folds.map((f, i) => ({
      name: `fold ${f.index}`, colorIndex: i, points: xValues(f).map((x, j) => [x, f.epochs[j][field]])
        .filter(([x, v]) => x !== null && v !== null && v !== undefined),
    }));
    const xName = X_AXES[xAxis];
    accChart.setOption(charts.curves(perFold('valAccuracy'), { yName: 'validation accuracy', percent: true, xName }), true);
    lossChart.setOption(charts.curves([
      ...perFold('valLoss'),
      ...perFold('trainLoss').map(line => ({ ...line, name: `${line.name} (train)`, dashed: true })),
    ], { yName: 'loss (dashed: training)', xName }), true);
    foldSelect.replaceChildren(...folds.map(f =>
      h('option', { value: f.index, selected: f.index === fold }, `${f.index} (${pct(f.accuracy)})`)));
    showFold();
    params.replaceChildren(keyValueTable(run.hyperparameters, { id: 'hyperparameters' }, fieldTitles));
    env.replaceChildren(keyValueTable(run.environment, { id: 'environment' }));
  }

  /** Each epoch's x: its number, or the fold's cumulated training seconds (null from an epoch without them). */
  function xValues(f) {
    const epochs = f.epochs ?? [];
    if (xAxis === 'epoch') return epochs.map(e => e.epoch);
    let total = 0;
    return epochs.map(e => (total = e.seconds === null || e.seconds === undefined || total === null ? null : total + e.seconds));
  }

  function showFold() {
    const f = (run.folds ?? []).find(x => x.index === fold);
    const hasMatrix = f?.confusion?.length > 0;
    confusionNote.hidden = hasMatrix;
    confusionEl.hidden = !hasMatrix;
    if (hasMatrix) {
      confusionChart ??= ctx.chart(confusionEl);
      confusionChart.setOption(charts.confusionHeatmap(run.labels ?? f.perClass.map(c => c.label), f.confusion), true);
    }
    perClass.replaceChildren(perClassTable(f));
  }

  function cancelButton() {
    if (!activeStatuses.has(run.status)) return null;
    return h('button', { type: 'button', class: 'danger', id: 'cancel-run', onclick: async e => {
      e.target.disabled = true;
      try {
        await api.cancelRun(run.id);
        run = await api.run(run.id);
        show();
      } catch (err) {
        e.target.disabled = false;
        showError(err);
      }
    } }, 'Cancel run');
  }

  /** A failed or cancelled run can be queued again; its folds resume from their checkpoints. */
  function retryButton() {
    if (run.status !== 'FAILED' && run.status !== 'CANCELLED') return null;
    return h('button', { type: 'button', id: 'retry-run', title: 'queue the unfinished folds again; they resume from their checkpoints',
      onclick: async e => {
        e.target.disabled = true;
        try {
          await api.retryRun(run.id);
          run = await api.run(run.id);
          show();
          watch();
        } catch (err) {
          e.target.disabled = false;
          showError(err);
        }
      } }, 'Retry run');
  }

  // While the run is queued or trains, refresh everything every 3 s; stop once it has finished.
  function watch() {
    ctx.every(3000, async () => {
      if (!activeStatuses.has(run.status)) return false;
      run = await api.run(runId);
      if (ctx.alive) show();
    });
  }

  show();
  watch();
}

/** The fold to open first: the best finished one, else the first. */
function defaultFold(run) {
  const folds = run.folds ?? [];
  const done = folds.filter(f => f.accuracy !== null && f.accuracy !== undefined);
  if (done.length) return done.reduce((best, f) => (f.accuracy > best.accuracy ? f : best)).index;
  return folds[0]?.index ?? 0;
}

function card(label, value, id) {
  return h('div', { class: 'card', id }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value));
}

function perClassTable(fold) {
  if (!fold?.perClass?.length) return h('p', { class: 'muted' }, 'No per-class metrics for this fold yet.');
  const support = i => fold.confusion?.[i]?.reduce((s, n) => s + n, 0);
  return h('table', { class: 'data', id: 'per-class-table' },
    h('thead', {}, h('tr', {}, ['Class', 'Precision', 'Recall', 'F1', 'Support'].map((t, i) => h('th', { class: i ? 'num' : '' }, t)))),
    h('tbody', {}, fold.perClass.map((c, i) => h('tr', {},
      h('td', {}, c.label),
      h('td', { class: 'num' }, pct(c.precision)),
      h('td', { class: 'num' }, pct(c.recall)),
      h('td', { class: 'num' }, pct(c.f1)),
      h('td', { class: 'num' }, num(support(i)))))));
}
