// Every call to the tracker goes through request(): one place for the base path, JSON,
// error messages and the (optional) bearer token kept in localStorage under "cnnlab.token".

export const TOKEN_KEY = 'cnnlab.token';

/** An error answer from the tracker; message is the server's "error" text. */
export class ApiError extends Error {
  constructor(status, message, violations = []) {
    super(message);
    this.status = status;
    this.violations = violations;
  }
}

async function request(method, path, { query = {}, body } = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const headers = { Accept: 'application/json' };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof Blob) {
    // Files (images for /api/predict) go as the raw body with their own content type.
    headers['Content-Type'] = body.type || 'application/octet-stream';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(url, { method, headers, body: payload });
  } catch (e) {
    throw new ApiError(0, `Cannot reach the tracker (${method} ${url.pathname}): ${e.message}`);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    let message = data?.error ?? `${method} ${url.pathname} failed with HTTP ${response.status}`;
    if (response.status === 401) {
      message = `${token ? 'The saved API token was refused' : 'This action needs an API token'}: `
        + `enter one under "API token" at the top right. (${message})`;
    }
    const violations = data?.violations ?? [];
    if (violations.length) message += ': ' + violations.map(v => `${v.field} ${v.message}`).join('; ');
    throw new ApiError(response.status, message, violations);
  }
  return data;
}

const id = value => encodeURIComponent(value);
let schemaOnce = null;

export const api = {
  experiments: () => request('GET', '/api/experiments'),
  experiment: experimentId => request('GET', `/api/experiments/${id(experimentId)}`),
  cancelExperiment: experimentId => request('POST', `/api/experiments/${id(experimentId)}/cancel`),
  /** params: experiment, architecture, batchSize, status, sort, page, size, and any training field's value. */
  runs: params => request('GET', '/api/runs', { query: params }),
  run: runId => request('GET', `/api/runs/${id(runId)}`),
  cancelRun: runId => request('POST', `/api/runs/${id(runId)}/cancel`),
  retryRun: runId => request('POST', `/api/runs/${id(runId)}/retry`),
  compare: runIds => request('GET', '/api/runs/compare', { query: { ids: runIds.join(',') } }),
  comparison: (experimentId, baseline, metric) =>
    request('GET', `/api/experiments/${id(experimentId)}/comparison`, { query: { baseline, metric } }),
  /** The study views of an experiment (params: x, series, metric for accuracy-by; metric for parallel). */
  accuracyBy: (experimentId, params) => request('GET', `/api/experiments/${id(experimentId)}/views/accuracy-by`, { query: params }),
  parallel: (experimentId, metric) => request('GET', `/api/experiments/${id(experimentId)}/views/parallel`, { query: { metric } }),
  /** The training fields that vary between an experiment's runs, each with its values. */
  experimentFields: experimentId => request('GET', `/api/experiments/${id(experimentId)}/views/fields`),
  progress: experimentId => request('GET', `/api/experiments/${id(experimentId)}/views/progress`),
  /** ASHA's rungs and runs (search null without one) and the compute spent against a full grid. */
  search: experimentId => request('GET', `/api/experiments/${id(experimentId)}/search`),
  confusionDiff: (runId, against) => request('GET', `/api/runs/${id(runId)}/confusion-diff`, { query: { against } }),
  /** The training fields (name, type, default, range, description), fetched once per page load. */
  schema: () => (schemaOnce ??= request('GET', '/api/schema').catch(e => { schemaOnce = null; throw e; })),
  /** Every status of a run or fold, in lifecycle order, as the tracker declares them. */
  statuses: async () => (await api.schema()).statuses.map(s => s.name),
  /** The statuses a worker may still change (queued, running): pages refresh while a run has one. */
  activeStatuses: async () => new Set((await api.schema()).statuses.filter(s => !s.finished).map(s => s.name)),
  models: () => request('GET', '/api/models'),
  promoteModel: modelId => request('POST', `/api/models/${id(modelId)}/promote`),
  predict: (file, { topK = 5, model } = {}) =>
    request('POST', '/api/predict', { query: { topK, model }, body: file }),
};
