// The hash router: "#/path?query" -> a view function that renders into <main id="view">.
// Each render gets a context that owns its timers and charts, so leaving a page stops them.
//
// Layout (no build step; the tracker serves this folder at /):
//   api.js     every call to the tracker (errors, optional bearer token from localStorage)
//   dom.js     h() element helper, number formats, the error banner
//   token.js   the "API token" field in the header
//   charts.js  ECharts options (echarts is a global from the tracker's webjar)
//   views/     one module per page; a page's state lives in its URL query

import { experimentsView } from './views/experiments.js';
import { experimentView } from './views/experiment.js';
import { runView } from './views/run.js';
import { compareView } from './views/compare.js';
import { modelsView } from './views/models.js';
import { tryView } from './views/try.js';
import { clearError, showError } from './dom.js';
import { setupToken } from './token.js';

const routes = [
  [/^\/experiments$/, experimentsView, 'experiments'],
  [/^\/experiments\/([^/]+)$/, experimentView, 'experiments'],
  [/^\/runs\/([^/]+)$/, runView, 'experiments'],
  [/^\/compare$/, compareView, 'experiments'],
  [/^\/models$/, modelsView, 'models'],
  [/^\/try$/, tryView, 'try'],
];

document.getElementById('error-close').addEventListener('click', clearError);
window.addEventListener('unhandledrejection', event => showError(event.reason));

let current = null; // the context of the page on screen

function createContext(path, query) {
  const cleanups = [];
  const charts = [];
  const ctx = {
    path,
    query,
    alive: true,
    /** Run fn now-ish and then every ms while this page is shown; errors go to the banner and stop it. */
    every(ms, fn) {
      let timer = null;
      const tick = async () => {
        if (!ctx.alive) return;
        try {
          if ((await fn()) === false) return; // fn returns false when there is nothing left to watch
        } catch (e) {
          if (ctx.alive) showError(e);
          return;
        }
        if (ctx.alive) timer = setTimeout(tick, ms);
      };
      timer = setTimeout(tick, ms);
      cleanups.push(() => clearTimeout(timer));
    },
    /** An ECharts instance on el, disposed when the page changes. */
    chart(el) {
      const chart = echarts.init(el);
      charts.push(chart);
      return chart;
    },
    /** Change the query part of the URL without re-rendering (the view already shows it). */
    replaceQuery(params) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) {
        if (value !== undefined && value !== null && value !== '') search.set(key, value);
      }
      const qs = search.toString();
      history.replaceState(null, '', `#${path}${qs ? `?${qs}` : ''}`);
    },
    dispose() {
      ctx.alive = false;
      cleanups.forEach(fn => fn());
      charts.forEach(chart => chart.dispose());
    },
    resize() {
      charts.forEach(chart => chart.resize());
    },
  };
  return ctx;
}

async function render() {
  const hash = location.hash.replace(/^#/, '') || '/experiments';
  const [path, search = ''] = hash.split('?');
  if (current) current.dispose();
  clearError();
  const root = document.getElementById('view');
  root.replaceChildren();
  const ctx = (current = createContext(path, new URLSearchParams(search)));

  const route = routes.find(([pattern]) => pattern.test(path));
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', route?.[2] === a.dataset.nav));
  if (!route) {
    showError(`No page at #${path}`);
    root.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Nothing here.' }));
    return;
  }
  const [pattern, view] = route;
  const params = path.match(pattern).slice(1).map(decodeURIComponent);
  root.dataset.loading = 'true';
  try {
    await view(root, ctx, ...params);
  } catch (e) {
    if (ctx.alive) {
      showError(e);
      if (!root.hasChildNodes()) {
        root.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'This page could not be loaded.' }));
      }
    }
  } finally {
    if (ctx.alive) delete root.dataset.loading;
  }
}

window.addEventListener('hashchange', render);
setupToken(render);
window.addEventListener('resize', () => current?.resize());
render();
