// Tiny DOM and formatting helpers shared by the views.

/**
 * h('a', {href: '#/x', class: 'link', onclick: fn}, 'text', child, [more])
 * Attributes starting with "on" become listeners; null/false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

const DASH = '—';

/** 0.7123 -> "71.2%". */
export const pct = (x, digits = 1) => (x === null || x === undefined ? DASH : `${(x * 100).toFixed(digits)}%`);

/** mean ± std of fold accuracies, both in percent. */
export const meanStd = (mean, std) =>
  mean === null || mean === undefined ? DASH : `${pct(mean)} ± ${std === null || std === undefined ? '?' : (std * 100).toFixed(1)}`;

export const num = (x, digits = 0) =>
  x === null || x === undefined ? DASH : Number(x).toLocaleString('en-US', { maximumFractionDigits: digits });

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return DASH;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export const dateTime = iso => (iso ? new Date(iso).toLocaleString('en-GB') : DASH);

export function bytes(n) {
  if (n === null || n === undefined) return DASH;
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const statusBadge = status => h('span', { class: `badge status-${String(status).toLowerCase()}` }, status);

/** The status badge plus, while running, a progress bar of epochs done over all folds. */
export function statusCell(run) {
  const parts = [statusBadge(run.status)];
  if (run.status === 'RUNNING') {
    const done = Math.round((run.progress ?? 0) * 100);
    parts.push(h('div', { class: 'progress', title: `${done}% of epochs done` },
      h('div', { class: 'progress-fill', style: { width: `${done}%` } })),
    h('span', { class: 'progress-text' }, `${done}%`));
  }
  if (run.status === 'FAILED' && run.error) parts[0].title = run.error;
  return parts;
}

/**
 * A plain key/value table, keys in alphabetical order, e.g. for hyperparameters or the environment;
 * titles (key to text) become tooltips on the keys.
 */
export function keyValueTable(object, attrs = {}, titles = {}) {
  const rows = Object.entries(object ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) =>
    h('tr', {}, h('th', titles[key] ? { title: titles[key] } : {}, key), h('td', {}, format(value))));
  return h('table', { class: 'kv', ...attrs }, h('tbody', {}, rows));
}

export function format(value) {
  if (value === null || value === undefined) return DASH;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const runLabel = run => `#${run.id} ${run.architecture} bs${run.batchSize}`;

/** Shows an error (usually the server's "error" text) in the banner at the top of the page. */
export function showError(error) {
  const message = error?.message ?? String(error);
  console.error(error);
  document.getElementById('error-text').textContent = message;
  document.getElementById('error').hidden = false;
  if (error?.status === 401) document.getElementById('token').open = true; // where the token goes
}

export function clearError() {
  document.getElementById('error').hidden = true;
  document.getElementById('error-text').textContent = '';
}
