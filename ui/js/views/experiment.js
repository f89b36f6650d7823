// #/experiments/{id}?sort=&architecture=&batchSize=&status=&group=&page=&sel=&metric=&x=&series=&time=
// The study charts (views/study.js: accuracy by any field, parallel coordinates, accuracy against
// time), the runs table (server-side sort, filter and paging, grouped on request) and learning
// curves for the runs ticked in the table.

import { api } from '../api.js';
import * as charts from '../charts.js';
import { searchSection } from './search.js';
import { studySections } from './study.js';
import { dateTime, duration, format, h, meanStd, num, pct, runLabel, showError, statusCell } from '../dom.js';

const PAGE_SIZE = 50;
const COLUMNS = [
  { key: 'id', title: '#' },
  { key: 'architecture', title: 'Architecture' },
  { key: 'batchSize', title: 'Batch', num: true },
  { key: 'learningRate', title: 'LR', num: true },
  { key: 'optimizer', title: 'Optimizer' },
  { key: 'meanAccuracy', title: 'Fold acc. at best epoch (mean ± std)', num: true },
  { key: 'testAccuracy', title: 'Test acc.', num: true },
  { key: 'durationSeconds', title: 'Time', num: true },
  { key: 'imagesPerSec', title: 'Images/s', num: true },
  { key: 'status', title: 'Status' },
];
/** The group a run falls in: architecture and batch size as before, any other field as "field value". */
const groupKey = (field, r) => (field === 'architecture' ? r.architecture : field === 'batchSize' ? `batch size ${r.batchSize}`
  : `${field} ${format(r.hyperparameters?.[field])}`);
const OWN_FILTERS = ['architecture', 'batchSize']; // fields with their own filter (and column) above

export async function experimentView(root, ctx, experimentId) {
  const q = ctx.query;
  const state = {
    sort: q.get('sort') || 'id',
    architecture: q.get('architecture') || '',
    batchSize: q.get('batchSize') || '',
    status: q.get('status') || '',
    group: q.get('group') || '',
    page: Number(q.get('page') || 0),
    selected: new Set((q.get('sel') || '').split(',').filter(Boolean).map(Number)),
    metric: q.get('metric') || '', x: q.get('x') || '', series: q.get('series') || '', time: q.get('time') || '',
  };
  const [experiment, varying, schema, statuses, activeStatuses] = await Promise.all([api.experiment(experimentId),
    api.experimentFields(experimentId), api.schema().catch(() => ({ fields: [] })), api.statuses(), api.activeStatuses()]);
  // Every other training field that varies between the runs filters and groups the table too (?weightDecay=0.005).
  const fieldFilters = varying.filter(f => !OWN_FILTERS.includes(f.name));
  fieldFilters.forEach(f => { state[f.name] = q.get(f.name) || ''; });
  const describe = Object.fromEntries(schema.fields.map(f => [f.name, f.description]));
  const spec = experiment.spec ?? {};
  const architectures = unique([...(spec.architectures ?? []), ...(spec.grid?.architecture ?? [])]);
  const batchSizes = unique([...(spec.batchSizes ?? []), ...(spec.grid?.batchSize ?? [])]).sort((a, b) => a - b);

  // --- page skeleton ---------------------------------------------------------------
  const studyViews = studySections(ctx, experimentId, state, () => saveQuery());
  const search = searchSection(experimentId);
  const thead = h('thead');
  const tbody = h('tbody');
  const pagerInfo = h('span', { id: 'pager-info' });
  const prev = h('button', { type: 'button', id: 'pager-prev', onclick: () => setPage(state.page - 1) }, '‹ Prev');
  const next = h('button', { type: 'button', id: 'pager-next', onclick: () => setPage(state.page + 1) }, 'Next ›');
  // disabled from the start: the rows (and the selection they show) arrive later
  const compareButton = h('button', { type: 'button', id: 'compare-selected', disabled: state.selected.size < 2, onclick: () => {
    location.hash = `#/compare?ids=${[...state.selected].join(',')}`;
  } }, 'Compare selected');
  const curvesNote = h('p', { class: 'muted', id: 'curves-note' }, 'Tick runs in the table to overlay their learning curves.');
  const accChart = h('div', { class: 'chart half', id: 'chart-curves-acc', hidden: true });
  const lossChart = h('div', { class: 'chart half', id: 'chart-curves-loss', hidden: true });

  const filter = (name, label, options) => h('label', {}, label, ' ',
    h('select', { id: `filter-${name}`, onchange: e => { state[name] = e.target.value; state.page = 0; loadRuns().catch(showError); } },
      h('option', { value: '' }, 'all'),
      options.map(([value, text]) => h('option', { value, selected: String(state[name]) === String(value) }, text))));

  root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/experiments' }, 'Experiments'), ' / ', experiment.name),
    h('h1', {}, experiment.name),
    experiment.description ? h('p', {}, experiment.description) : '',
    h('p', { class: 'muted small' },
      `dataset ${experiment.dataset} · ${spec.epochs ?? '?'} epochs · ${spec.folds ?? '?'} folds · `,
      `${spec.optimizer ?? '?'} (${spec.schedule ?? 'constant'}) · augmentation ${spec.augmentation ?? 'none'} · `,
      `created ${dateTime(experiment.createdAt)}${experiment.createdBy ? ` by ${experiment.createdBy}` : ''}`),
    cancelExperimentButton(experiment, activeStatuses) ?? '',   // null once nothing is left to cancel; append() would print it
    search.element,
    ...studyViews.elements,
    h('section', {},
      h('h2', {}, 'Runs'),
      h('div', { class: 'toolbar' },
        filter('architecture', 'Architecture', architectures.map(a => [a, a])),
        filter('batchSize', 'Batch size', batchSizes.map(b => [b, b])),
        fieldFilters.map(f => filter(f.name, f.name, f.values.map(v => [v, format(v)]))),
        filter('status', 'Status', statuses.map(s => [s, s])),
        h('label', {}, 'Group by ',
          h('select', { id: 'group-by', onchange: e => { state.group = e.target.value; state.page = 0; loadRuns().catch(showError); } },
            [['', 'none'], ['architecture', 'architecture'], ['batchSize', 'batch size'], ...fieldFilters.map(f => [f.name, f.name])]
              .map(([value, text]) => h('option', { value, selected: state.group === value, title: describe[value] }, text)))),
        h('span', { class: 'spacer' }),
        compareButton),
      h('table', { class: 'data', id: 'runs-table' }, thead, tbody),
      h('div', { class: 'pager' }, prev, pagerInfo, next)),
    h('section', {}, h('h2', {}, 'Learning curves'), h('p', { class: 'muted small' }, 'Per epoch, averaged over the folds of each run.'), curvesNote,
      h('div', { class: 'chart-row' }, accChart, lossChart)),
  );

  // --- the study charts --------------------------------------------------------------
  await studyViews.refresh().catch(showError);
  await search.refresh().catch(showError);

  // --- the runs table ------------------------------------------------------------------
  let lastRuns = [];
  let shownRuns = null;
  let requestNo = 0;
  async function loadRuns() {
    const mine = ++requestNo;
    renderHead();
    // Grouping sorts by the group key first, so a group stays together across pages.
    const sort = state.group && state.sort.replace('-', '') !== state.group ? `${state.group},${state.sort}` : state.sort;
    const result = await api.runs({
      experiment: experimentId, architecture: state.architecture, batchSize: state.batchSize, status: state.status,
      sort, page: state.page, size: PAGE_SIZE, ...Object.fromEntries(fieldFilters.map(f => [f.name, state[f.name]])),
    });
    if (mine !== requestNo || !ctx.alive) return; // a newer request (or page) won
    lastRuns = result.items;
    // A live refresh that changed nothing leaves the rows alone (no flicker, no lost focus or selection).
    const shown = JSON.stringify([state.group, result.items]);
    if (shown !== shownRuns) renderBody(result.items);
    shownRuns = shown;
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    pagerInfo.textContent = `page ${result.page + 1} of ${pages} · ${result.total} run${result.total === 1 ? '' : 's'}`;
    prev.disabled = result.page <= 0;
    next.disabled = result.page + 1 >= pages;
    saveQuery();
  }
  const saveQuery = () => ctx.replaceQuery({
    sort: state.sort === 'id' ? '' : state.sort, architecture: state.architecture, batchSize: state.batchSize,
    status: state.status, group: state.group, page: state.page || '', sel: [...state.selected].join(','),
    metric: state.metric, x: state.x, series: state.series, time: state.time,
    ...Object.fromEntries(fieldFilters.map(f => [f.name, state[f.name]])),
  });
  const setPage = page => { state.page = page; loadRuns().catch(showError); };

  function renderHead() {
    thead.replaceChildren(h('tr', {}, h('th', {}, ''), COLUMNS.map(col => {
      const dir = state.sort === col.key ? 'asc' : state.sort === `-${col.key}` ? 'desc' : null;
      return h('th', {
        class: `sortable ${col.num ? 'num' : ''} ${dir ?? ''}`, 'data-sort': col.key, title: 'sort',
        onclick: () => {
          state.sort = state.sort === col.key ? `-${col.key}` : col.key;
          state.page = 0;
          loadRuns().catch(showError);
        },
      }, col.title, dir ? h('span', { class: 'arrow' }, dir === 'asc' ? ' ▲' : ' ▼') : null);
    })));
  }

  function renderBody(runs) {
    const rows = [];
    let group = null;
    for (const run of runs) {
      const key = state.group ? groupKey(state.group, run) : null;
      if (key !== group) {
        group = key;
        const members = runs.filter(r => groupKey(state.group, r) === key);
        const accs = members.map(r => r.meanAccuracy).filter(a => a !== null && a !== undefined);
        rows.push(h('tr', { class: 'group-row' }, h('td', { colspan: COLUMNS.length + 1 },
          h('strong', {}, key), ` · ${members.length} run${members.length === 1 ? '' : 's'}`,
          accs.length ? ` · best ${pct(Math.max(...accs))}` : '')));
      }
      rows.push(runRow(run));
    }
    if (!runs.length) rows.push(h('tr', {}, h('td', { colspan: COLUMNS.length + 1, class: 'muted' }, 'No runs match.')));
    tbody.replaceChildren(...rows);
    compareButton.disabled = state.selected.size < 2;
  }

  function runRow(run) {
    const box = h('input', { type: 'checkbox', class: 'select-run', checked: state.selected.has(run.id), onchange: e => {
      if (e.target.checked) state.selected.add(run.id); else state.selected.delete(run.id);
      compareButton.disabled = state.selected.size < 2;
      saveQuery();
      curvesSoon();
    } });
    return h('tr', { 'data-id': run.id, class: `run status-row-${run.status.toLowerCase()}` },
      h('td', {}, box),
      h('td', {}, h('a', { href: `#/runs/${run.id}` }, run.id)),
      h('td', { class: 'col-architecture' }, run.architecture),
      h('td', { class: 'num col-batchSize' }, run.batchSize),
      h('td', { class: 'num' }, run.learningRate),
      h('td', {}, run.optimizer),
      h('td', { class: 'num col-meanAccuracy' }, meanStd(run.meanAccuracy, run.stdAccuracy)),
      h('td', { class: 'num' }, pct(run.testAccuracy)),
      h('td', { class: 'num' }, duration(run.durationSeconds)),
      h('td', { class: 'num' }, num(run.imagesPerSec)),
      h('td', { class: 'col-status' }, statusCell(run)));
  }

  // --- learning curves of the ticked runs ---------------------------------------------------
  const details = new Map();
  let accCurves = null;
  let lossCurves = null;
  // Ticks in quick succession (ticking several runs) draw once, with all of them, a moment after the last.
  let curvesTimer = null;
  const curvesSoon = () => {
    clearTimeout(curvesTimer);
    curvesTimer = setTimeout(() => { if (ctx.alive) updateCurves().catch(showError); }, 250);
  };
  let curvesNo = 0;
  async function updateCurves(refresh = false) {
    const mine = ++curvesNo;
    const ids = [...state.selected];
    const stale = id => !details.has(id) || (refresh && activeStatuses.has(details.get(id).status));
    await Promise.all(ids.filter(stale).map(async id => details.set(id, await api.run(id))));
    // Two ticks in quick succession: the answer for the first may arrive last; only the latest draws.
    if (!ctx.alive || mine !== curvesNo) return;
    const runs = ids.map(id => details.get(id)).filter(Boolean);
    curvesNote.hidden = runs.length > 0;
    accChart.hidden = lossChart.hidden = runs.length === 0;
    if (!runs.length) return;
    accCurves ??= ctx.chart(accChart);
    lossCurves ??= ctx.chart(lossChart);
    const lines = field => runs.map((run, i) => ({ name: runLabel(run), colorIndex: i, points: charts.meanCurve(run, field) }));
    accCurves.setOption(charts.curves(lines('valAccuracy'), { yName: 'validation accuracy', percent: true }), true);
    lossCurves.setOption(charts.curves(lines('valLoss'), { yName: 'validation loss' }), true);
  }

  // A failed list (say a bad sort in the URL) goes to the banner; the rest of the page stays usable.
  await loadRuns().catch(showError);
  await updateCurves();
  // Live view: while any run on the page is queued or running, refresh table, chart and curves.
  ctx.every(3000, async () => {
    if (!lastRuns.some(r => activeStatuses.has(r.status))) return;
    await loadRuns();
    await studyViews.refresh();
    await search.refresh();
    await updateCurves(true);
  });
}

function cancelExperimentButton(experiment, activeStatuses) {
  const active = Object.entries(experiment.runsByStatus ?? {}).some(([s, n]) => activeStatuses.has(s) && n > 0);
  if (!active) return null;
  return h('button', { type: 'button', class: 'danger', id: 'cancel-experiment', onclick: async e => {
    e.target.disabled = true;
    try {
      await api.cancelExperiment(experiment.id);
      e.target.textContent = 'Cancelled';
    } catch (err) {
      e.target.disabled = false;
      showError(err);
    }
  } }, 'Cancel experiment');
}

const unique = values => [...new Set(values)];
