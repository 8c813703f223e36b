// The dashboard's shell: hash routes (#/, #/incidents[/ID], #/series?s=..., #/logs, #/models[/NAME],
// #/audit), one page mounted at a time, refreshed without reloading when something changes.
// Changes come from the collector's server-sent events (/api/v1/stream): a new signal, incident or
// action refreshes the page at once, ingested data at most once per poll interval. While the stream is
// down (or with ?stream=off) the page polls instead. The poll interval is 5 s; ?poll=MILLIS changes it.

import {get} from './lib/api.js';
import {fill, h} from './lib/dom.js';
import * as overview from './pages/overview.js';
import * as incidents from './pages/incidents.js';
import * as series from './pages/series.js';
import * as logs from './pages/logs.js';
import * as models from './pages/models.js';
import * as audit from './pages/audit.js';

const ROUTES = {'': overview, overview, incidents, series, logs, models, audit};
const QUERY = new URLSearchParams(window.location.search);
const POLL_MS = Math.max(250, Number(QUERY.get('poll')) || 5000);
/** While the stream is up, a poll this often still catches what no event announces (model statistics). */
const STREAM_SAFETY_MS = Math.max(30000, POLL_MS);
const USE_STREAM = QUERY.get('stream') !== 'off' && typeof EventSource === 'function';

const view = document.getElementById('view');
const updated = document.getElementById('updated');
const live = document.getElementById('live');
const stateBadge = document.getElementById('collector-state');
const feedBadge = document.getElementById('feed');

let current = null;      // {name, page, generation}
let generation = 0;
let busy = false;
let refreshes = 0;
let lastRefresh = 0;     // when the last refresh started (ms)
let again = false;       // an event came during a refresh: refresh once more when it ends
let soonTimer = null;
let streaming = false;   // the event stream is open
let events = 0;

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter(Boolean).map(p => decodeURIComponent(p));
  return {parts, params};
}

/** Navigates to a hash route, e.g. go('incidents', id) or go('series', null, {s: sel}). */
function go(...args) {
  const last = args.length && typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null ?
    args.pop() : null;
  const path = args.filter(a => a != null && a !== '').map(a => encodeURIComponent(a)).join('/');
  const query = last ? new URLSearchParams(Object.entries(last).filter(([, v]) => v != null && v !== '')).toString() : '';
  window.location.hash = '#/' + path + (query ? '?' + query : '');
}

function mount() {
  const {parts, params} = parseHash();
  const name = parts[0] || '';
  const module = ROUTES[name];
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.route === (name || 'overview'));
  }
  const gen = ++generation;
  fill(view);
  view.dataset.page = name || 'overview';
  delete view.dataset.loaded;
  if (!module) {
    fill(view, h('h1', null, 'Not found'), h('p', {class: 'error'}, 'no page "' + name + '"; pick one above.'));
    current = null;
    return;
  }
  const page = module.mount(view, {parts, params, go});
  current = {name, page, generation: gen};
  refresh(true);
}

async function refresh(force) {
  const target = current;
  if (!target || (!force && (busy || document.hidden || !live.checked))) return;
  busy = true;
  lastRefresh = Date.now();
  try {
    const [status] = await Promise.all([get('/api/v1/status'), target.page.update()]);
    if (status.ok) {
      const ready = status.data.ready;
      stateBadge.textContent = ready ? 'ready' : 'replaying';
      stateBadge.className = 'badge ' + (ready ? 'up' : 'warning');
    } else {
      stateBadge.textContent = status.status === 0 ? 'unreachable' : 'error ' + status.status;
      stateBadge.className = 'badge down';
    }
    if (target.generation === generation) {
      refreshes++;
      view.dataset.loaded = 'true';
      view.dataset.refreshes = String(refreshes);
      updated.textContent = 'updated ' + new Date().toLocaleTimeString();
    }
  } catch (e) {
    // A page bug must not stop the polling; show it where the page is.
    if (target.generation === generation) {
      view.append(h('p', {class: 'error'}, 'could not refresh this page: ' + e.message));
    }
  } finally {
    busy = false;
    if (again) {
      again = false;
      soon();
    }
  }
}

/** Refreshes shortly (events come in bursts: one refresh for a burst), or after the running one. */
function soon() {
  if (busy) {
    again = true;
    return;
  }
  if (soonTimer) return;
  soonTimer = setTimeout(() => {
    soonTimer = null;
    refresh(false);
  }, 150);
}

function showFeed() {
  feedBadge.textContent = streaming ? 'streaming' : 'polling';
  feedBadge.className = 'badge ' + (streaming ? 'up' : 'warning');
  document.body.dataset.feed = streaming ? 'stream' : 'poll';
}

/** Listens to the collector's events; EventSource reconnects by itself after an error. */
function connectStream() {
  const source = new EventSource('/api/v1/stream');
  const counted = handler => e => {
    events++;
    document.body.dataset.events = String(events);
    handler(e);
  };
  source.addEventListener('hello', counted(() => {
    streaming = true;
    showFeed();
    soon(); // whatever happened while the stream was down
  }));
  for (const type of ['signal', 'incident', 'action']) {
    source.addEventListener(type, counted(() => soon()));
  }
  source.addEventListener('ingest', counted(() => {
    if (Date.now() - lastRefresh >= POLL_MS) soon();
  }));
  source.addEventListener('heartbeat', counted(() => {}));
  source.addEventListener('error', () => {
    if (streaming) {
      streaming = false;
      showFeed();
    }
  });
}

window.addEventListener('hashchange', mount);
window.addEventListener('resize', () => {
  for (const c of document.querySelectorAll('.chart')) {
    if (c._uplot && c.clientWidth > 0) c._uplot.setSize({width: c.clientWidth, height: c._uplot.height});
  }
});
live.addEventListener('change', () => refresh(true));
document.addEventListener('visibilitychange', () => refresh(false));
setInterval(() => {
  if (!streaming || Date.now() - lastRefresh >= STREAM_SAFETY_MS) refresh(false);
}, POLL_MS);
showFeed();
if (USE_STREAM) connectStream();
mount();
