// The "API token" field in the header. The token stays in localStorage, where api.js reads it for
// every request; writes (submit, cancel, serve) need one, and reads too where the tracker says so.

import { TOKEN_KEY } from './api.js';
import { clearError } from './dom.js';

/** Wires the field; onChange runs after a token is saved or forgotten (e.g. to reload the page). */
export function setupToken(onChange) {
  const details = document.getElementById('token');
  const summary = document.getElementById('token-summary');
  const input = document.getElementById('token-input');

  const refresh = () => {
    const saved = Boolean(localStorage.getItem(TOKEN_KEY));
    summary.textContent = saved ? 'API token ✓' : 'API token';
    input.value = '';
    input.placeholder = saved ? 'saved; paste another to replace it' : 'paste an API token';
  };
  const changed = () => {
    details.open = false;
    refresh();
    clearError();
    onChange();
  };

  document.getElementById('token-form').addEventListener('submit', event => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    localStorage.setItem(TOKEN_KEY, token);
    changed();
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    localStorage.removeItem(TOKEN_KEY);
    changed();
  });
  refresh();
}
