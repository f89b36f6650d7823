// ECharts options for the study views of an experiment; the numbers come computed from
// /api/experiments/{id}/views/* and /api/runs/{id}/confusion-diff, the views only pass them in.

import { PALETTE, errorBar, percentAxis, round } from './charts.js';

const text = v => (v === null || v === undefined ? '—' : String(v));
/** Numbers by value, then text: the order the server sorts field values in. */
const byValue = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b
  : typeof a === 'number' ? -1 : typeof b === 'number' ? 1 : String(a).localeCompare(String(b)));

/**
 * Mean fold score against any field, one line per value of the series field (or one line), mean ± std
 * as error bars and each fold as a faint dot. answer = /views/accuracy-by.
 */
export function accuracyByField(answer) {
  const { points, metric } = answer;
  const xs = [...new Set(points.map(p => p.x))].sort(byValue);
  const names = [...new Set(points.map(p => p.series))].sort(byValue);
  const nameOf = s => (answer.series ? text(s) : metric.title);
  const series = names.flatMap((name, i) => {
    const color = PALETTE[i % PALETTE.length];
    const cells = xs.map(x => points.find(p => p.series === name && p.x === x));
    const present = cells.map((p, x) => [p, x]).filter(([p]) => p);
    return [
      { name: nameOf(name), type: 'line', color, symbolSize: 8, connectNulls: true, z: 3,
        data: cells.map(p => (p ? round(p.mean * 100) : null)) },
      { name: nameOf(name), type: 'custom', color, renderItem: errorBar, z: 2, encode: { x: 0, y: [1, 2] },
        tooltip: { show: false },
        data: present.map(([p, x]) => [x, round((p.mean - p.std) * 100), round((p.mean + p.std) * 100)]) },
      { name: nameOf(name), type: 'scatter', color, symbolSize: 5, itemStyle: { opacity: 0.35 }, z: 1,
        tooltip: { show: false }, data: present.flatMap(([p, x]) => p.foldScores.map(a => [x, round(a * 100)])) },
    ];
  });
  return {
    animation: false,
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 45 },
    tooltip: {
      trigger: 'axis',
      formatter: items => {
        const x = xs[items[0].dataIndex];
        const lines = points.filter(p => p.x === x).map(p =>
          `${nameOf(p.series)}: ${(p.mean * 100).toFixed(1)}% ± ${(p.std * 100).toFixed(1)} `
          + `(${p.runIds.length} run${p.runIds.length === 1 ? '' : 's'}, ${p.foldScores.length} folds)`);
        return [`${answer.x} ${text(x)}`, ...lines].join('<br>');
      },
    },
    xAxis: { type: 'category', name: answer.x, nameLocation: 'middle', nameGap: 28, data: xs.map(text) },
    yAxis: { ...percentAxis, name: `fold accuracy, ${metric.title}` },
    series,
  };
}

/** One axis per varying field and a last one for the score; one line per run. answer = /views/parallel. */
export function parallelCoordinates(answer) {
  const axes = answer.fields.map((field, dim) => {
    const values = answer.runs.map(r => r.values[field]);
    const numeric = values.every(v => typeof v === 'number');
    return numeric
      ? { dim, name: field, type: 'value', scale: true, nameTextStyle: { fontWeight: 'bold' } }
      : { dim, name: field, type: 'category', data: [...new Set(values.map(text))].sort(byValue) };
  });
  axes.push({ dim: axes.length, name: `accuracy (${answer.metric.title})`, type: 'value', scale: true,
    axisLabel: { formatter: '{value}%' } });
  const best = Math.max(...answer.runs.map(r => r.mean));
  return {
    animation: false,
    parallel: { left: 60, right: 110, top: 50, bottom: 30 },
    parallelAxis: axes,
    tooltip: { trigger: 'item', formatter: p => `${answer.runs[p.dataIndex].label}: ${p.value.at(-1)}%` },
    visualMap: { show: false, dimension: axes.length - 1, min: Math.min(...answer.runs.map(r => r.mean)) * 100,
      max: best * 100, inRange: { color: ['#c6dbef', '#08306b'] } },
    series: [{
      name: 'runs', type: 'parallel', lineStyle: { width: 2, opacity: 0.8 },
      data: answer.runs.map(r => [...answer.fields.map(f => (typeof r.values[f] === 'number' ? r.values[f] : text(r.values[f]))),
        round(r.mean * 100)]),
    }],
  };
}

export const PROGRESS_AXES = {
  seconds: { field: 'seconds', name: 'wall time per fold (s)' },
  imagesSeen: { field: 'imagesSeen', name: 'training images seen per fold' },
  epoch: { field: 'epoch', name: 'epoch' },
};

/** Validation accuracy (mean over folds) of each run against wall time, images seen or epochs. */
export function progress(answer, axis) {
  const { field, name } = PROGRESS_AXES[axis];
  const runs = answer.runs.filter(r => r.points.length);
  return {
    animation: false,
    legend: { top: 0, type: 'scroll' },
    grid: { left: 55, right: 30, top: 55, bottom: 45 },
    tooltip: { trigger: 'item', formatter: p => `${p.seriesName}<br>${name}: ${p.value[0]}<br>accuracy ${p.value[1]}%` },
    xAxis: { type: 'value', name, nameLocation: 'middle', nameGap: 28, min: 0 },
    yAxis: { ...percentAxis, name: 'validation accuracy (mean over folds)' },
    series: runs.map((r, i) => ({
      name: `#${r.runId} ${r.label}`, type: 'line', color: PALETTE[i % PALETTE.length], showSymbol: true, symbolSize: 5,
      data: r.points.filter(p => p[field] !== null && p.accuracy !== null).map(p => [round(p[field], 1), round(p.accuracy * 100)]),
    })),
  };
}

/**
 * Per class: the change in recall of a run against the baseline (percentage points), mean over the
 * shared folds as a bar, min..max over folds as the error bar, each fold as a dot. diff = confusion-diff's diff.
 */
export function confusionChange(diff) {
  const labels = diff.classes.map(c => c.label);
  return {
    animation: false,
    grid: { left: 55, right: 20, top: 30, bottom: 70 },
    tooltip: { trigger: 'axis', formatter: items => {
      const c = diff.classes[items[0].dataIndex];
      return `${c.label}: ${(c.change * 100).toFixed(1)} pp ± ${(c.std * 100).toFixed(1)} over ${diff.folds.length} folds`
        + `<br>recall ${(c.baseRecall * 100).toFixed(1)}% → ${(c.otherRecall * 100).toFixed(1)}%`;
    } },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: 45 } },
    yAxis: { type: 'value', name: 'recall change (pp)', nameTextStyle: { align: 'left' } },
    series: [
      { name: 'change', type: 'bar', barMaxWidth: 36, z: 1,
        data: diff.classes.map(c => ({ value: round(c.change * 100),
          itemStyle: { color: c.change >= 0 ? PALETTE[4] : PALETTE[2] } })) },
      { name: 'fold spread', type: 'custom', renderItem: errorBar, encode: { x: 0, y: [1, 2] }, color: '#333', z: 3,
        tooltip: { show: false }, data: diff.classes.map((c, x) => [x, round(c.min * 100), round(c.max * 100)]) },
      { name: 'folds', type: 'scatter', symbolSize: 5, color: '#333', itemStyle: { opacity: 0.5 }, z: 4,
        tooltip: { show: false }, data: diff.classes.flatMap((c, x) => c.foldChanges.map(d => [x, round(d * 100)])) },
    ],
  };
}
