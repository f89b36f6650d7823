// ECharts options for the run charts (study-charts.js has the experiment's); the views only pass data in.
// echarts itself is a global loaded by index.html from the tracker's webjar.

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];
export const percentAxis = { type: 'value', scale: true, axisLabel: { formatter: '{value}%' }, nameTextStyle: { align: 'left' } };
export const round = (x, digits = 2) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));

/** Draws one vertical error bar with caps; data item = [categoryIndex, low, high]. */
export function errorBar(params, api) {
  const x = api.value(0);
  const top = api.coord([x, api.value(2)]);
  const bottom = api.coord([x, api.value(1)]);
  const cap = 6;
  const style = { stroke: api.visual('color'), lineWidth: 1.5 };
  return {
    type: 'group',
    children: [
      { type: 'line', shape: { x1: top[0], y1: top[1], x2: bottom[0], y2: bottom[1] }, style },
      { type: 'line', shape: { x1: top[0] - cap, y1: top[1], x2: top[0] + cap, y2: top[1] }, style },
      { type: 'line', shape: { x1: bottom[0] - cap, y1: bottom[1], x2: bottom[0] + cap, y2: bottom[1] }, style },
    ],
  };
}

/**
 * Curves overlaid on one chart: lines = [{name, points: [[epoch, value]], dashed?}].
 * percent=true plots accuracies (0..1) as percentages.
 */
export function curves(lines, { yName, percent = false, xName = 'epoch' }) {
  return {
    animation: false,
    legend: { top: 0, type: 'scroll' },
    grid: { left: 55, right: 20, top: 55, bottom: 45 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 28, minInterval: xName === 'epoch' ? 1 : 0, min: 'dataMin' },
    yAxis: percent ? { ...percentAxis, name: yName } : { type: 'value', name: yName, scale: true, nameTextStyle: { align: 'left' } },
    series: lines.map((line, i) => ({
      name: line.name, type: 'line', showSymbol: line.points.length < 30,
      color: PALETTE[(line.colorIndex ?? i) % PALETTE.length],
      lineStyle: { type: line.dashed ? 'dashed' : 'solid' },
      data: line.points.map(([x, value]) => [round(x, 4), percent ? round(value * 100) : round(value, 4)]),
    })),
  };
}

/** Mean over folds per epoch of one epoch field (folds may stop early: average what exists). */
export function meanCurve(run, field) {
  const byEpoch = new Map();
  for (const fold of run.folds ?? []) {
    for (const e of fold.epochs ?? []) {
      if (e[field] === null || e[field] === undefined) continue;
      const list = byEpoch.get(e.epoch) ?? [];
      list.push(e[field]);
      byEpoch.set(e.epoch, list);
    }
  }
  return [...byEpoch.entries()].sort((a, b) => a[0] - b[0])
    .map(([epoch, values]) => [epoch, values.reduce((s, v) => s + v, 0) / values.length]);
}

/** One bar per fold with the mean as a dashed line. */
export function foldAccuracies(folds) {
  const done = folds.filter(f => f.accuracy !== null && f.accuracy !== undefined);
  const mean = done.length ? done.reduce((s, f) => s + f.accuracy, 0) / done.length : null;
  return {
    animation: false,
    grid: { left: 50, right: 20, top: 30, bottom: 45 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', name: 'fold', nameLocation: 'middle', nameGap: 28, data: folds.map(f => String(f.index)) },
    // Bars need a floor below the lowest fold, or the lowest bar has no height.
    yAxis: { ...percentAxis, name: 'accuracy', scale: false, min: v => Math.max(0, Math.floor(v.min) - 5) },
    series: [{
      type: 'bar', name: 'accuracy', color: PALETTE[0], barMaxWidth: 48,
      label: { show: true, position: 'top', formatter: p => (p.value === null ? '' : `${p.value}%`) },
      data: folds.map(f => round(f.accuracy === null || f.accuracy === undefined ? null : f.accuracy * 100)),
      markLine: mean === null ? undefined : {
        symbol: 'none', lineStyle: { type: 'dashed' }, label: { position: 'insideEndTop', formatter: `mean ${(mean * 100).toFixed(1)}%` },
        data: [{ yAxis: round(mean * 100) }],
      },
    }],
  };
}

/** confusion[actual][predicted] counts as a heatmap, actual classes top to bottom. */
export function confusionHeatmap(labels, confusion) {
  const data = [];
  let max = 0;
  confusion.forEach((row, actual) => row.forEach((count, predicted) => {
    data.push([predicted, actual, count]);
    max = Math.max(max, count);
  }));
  return {
    animation: false,
    grid: { left: 90, right: 80, top: 10, bottom: 90 },
    tooltip: { formatter: p => `actual ${labels[p.value[1]]}, predicted ${labels[p.value[0]]}: ${p.value[2]}` },
    xAxis: { type: 'category', data: labels, name: 'predicted', nameLocation: 'middle', nameGap: 70, axisLabel: { rotate: 45 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: labels, name: 'actual', nameLocation: 'middle', nameGap: 75, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: Math.max(1, max), calculable: true, orient: 'vertical', right: 0, top: 'middle', inRange: { color: ['#f7fbff', '#08306b'] } },
    series: [{ type: 'heatmap', data, label: { show: labels.length <= 12 } }],
  };
}
