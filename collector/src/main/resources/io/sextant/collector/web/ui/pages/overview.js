// Overview: the collector's own state and ingest rates, services and agents with their health, open
// incidents and open anomalies.

import {get, list} from '../lib/api.js';
import {badge, changed, empty, fill, h, problem, section, table} from '../lib/dom.js';
import {ago, bytes, duration, num, short, time} from '../lib/format.js';
import {lines} from '../lib/charts.js';

// Ingest counters sampled at each refresh; rates are differences between samples. Kept across page
// visits so the chart does not start empty each time.
const samples = [];
const MAX_SAMPLES = 360;

function rates(key) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = samples[i].t - samples[i - 1].t;
    const dv = samples[i][key] - samples[i - 1][key];
    if (dt > 0 && dv >= 0) out.push([samples[i].t, dv / dt]);
  }
  return out;
}

export function mount(root, ctx) {
  const cards = h('div', {class: 'cards', id: 'status-cards'});
  const ingestChart = h('div', {class: 'chart', id: 'ingest-chart'});
  const ingestNote = h('p', {class: 'muted'});
  const serviceChart = h('div', {class: 'chart', id: 'service-rate-chart'});
  const serviceNote = h('div');
  const services = h('div', {id: 'services'});
  const agents = h('div', {id: 'agents'});
  const incidents = h('div', {id: 'open-incidents'});
  const anomalies = h('div', {id: 'open-anomalies'});
  fill(root,
    h('h1', null, 'Overview'),
    cards,
    h('div', {class: 'columns'},
      section('Ingest rate (per second, this collector)', ingestChart, ingestNote),
      section('Samples stored per second by service (last 15 min)', serviceChart, serviceNote)),
    h('div', {class: 'columns'},
      section('Services', services),
      section('Open incidents', incidents)),
    section('Open anomalies', anomalies),
    section('Agents', agents));

  let measuring = false;

  async function update() {
    const [status, svc, ag, inc, anom, perService] = await Promise.all([
      get('/api/v1/status'),
      get('/api/v1/services'),
      get('/api/v1/agents'),
      get('/api/v1/incidents', {state: 'open', limit: 50}),
      get('/api/v1/anomalies', {open: 'true', limit: 50}),
      get('/api/v1/query_range', {query: '{service=~".+"}', start: 'now-15m', end: 'now', step: '15s', agg: 'count', by: 'service'}),
    ]);
    renderStatus(status);
    renderServices(svc, list(anom), list(inc));
    renderAgents(ag);
    renderIncidents(inc);
    renderAnomalies(anom);
    renderServiceRates(perService);
  }

  function renderStatus(status) {
    if (!status.ok) {
      fill(cards, problem(status, 'collector status'));
      return;
    }
    const s = status.data;
    const t = Date.now() / 1000;
    samples.push({t, frames: s.ingest.framesAccepted, samples: s.store.samples, logs: s.store.logRecords,
      otlp: Object.values(s.otlp || {}).reduce((a, v) => a + (typeof v === 'number' ? v : 0), 0)});
    while (samples.length > MAX_SAMPLES) samples.shift();
    const card = (label, value, note) => h('div', {class: 'card'}, h('div', {class: 'label'}, label),
      h('div', {class: 'value'}, value), note ? h('div', {class: 'muted'}, note) : null);
    fill(cards,
      card('state', badge(s.ready ? 'ready' : 'replaying', s.ready ? 'up' : 'warning'), 'up ' + duration(s.uptimeSeconds)),
      card('agents', num(s.agents)),
      card('series', num(s.store.series), 'limit ' + num(s.store.seriesLimit)),
      card('samples', num(s.store.samples), num(s.store.histogramSamples) + ' histograms'),
      card('log records', num(s.store.logRecords)),
      card('journal', bytes(s.journal.sizeBytes), 'lag ' + num(s.journal.lagRecords) + ' records'),
      card('analysis', num(s.analysis.processed), num(s.analysis.signals) + ' signals held'),
      card('ring', bytes(s.ring.usedBytes) + ' / ' + bytes(s.ring.capacityBytes), num(s.ring.fullRefusals) + ' refusals'));
    const r = [
      {label: 'agent frames/s', points: rates('frames')},
      {label: 'samples/s', points: rates('samples')},
      {label: 'log records/s', points: rates('logs')},
    ];
    if (rates('frames').length === 0) {
      // Rates need two samples: take the second one a second from now instead of a poll later.
      ingestNote.textContent = 'measuring…';
      if (!measuring) {
        measuring = true;
        setTimeout(async () => renderStatus(await get('/api/v1/status')), 1000);
      }
      return;
    }
    ingestNote.textContent = '';
    lines(ingestChart, r, {height: 200});
  }

  function renderServiceRates(result) {
    if (!result.ok) {
      fill(serviceNote, problem(result, 'sample rates'));
      return;
    }
    const groups = result.data.result || [];
    if (!groups.length) {
      fill(serviceNote, empty('no samples in the last 15 minutes'));
    } else {
      fill(serviceNote);
    }
    // The newest bucket may still be filling (agents send in batches): leave it out.
    const newest = Math.max(...groups.map(g => g.values.length ? g.values[g.values.length - 1][0] : 0));
    lines(serviceChart, groups.map(g => ({
      label: g.metric.service || '(none)',
      points: g.values.filter(([t]) => t < newest).map(([t, v]) => [t, v / 15]),
    })), {height: 200});
  }

  function renderServices(result, openAnomalies, openIncidents) {
    if (!result.ok) {
      fill(services, problem(result, 'services'));
      return;
    }
    if (!result.data.length) {
      fill(services, empty());
      return;
    }
    if (!changed(services, [result.data, openAnomalies, openIncidents])) return;
    const count = (items, service) => items.filter(a => a.service === service ||
      (Array.isArray(a.services) && a.services.includes(service))).length;
    fill(services, table([
      {title: 'service', cell: s => h('a', {href: '#/series?service=' + encodeURIComponent(s.service)}, s.service)},
      {title: 'health', cell: s => badge(s.health)},
      {title: 'agents', cell: s => num((s.agents || []).length), class: 'num'},
      {title: 'series', cell: s => num(s.series), class: 'num'},
      {title: 'open anomalies', cell: s => num(count(openAnomalies, s.service)), class: 'num'},
      {title: 'open incidents', cell: s => num(count(openIncidents, s.service)), class: 'num'},
      {title: 'last seen', cell: s => ago(s.lastSeen)},
    ], result.data, s => ({class: 'service-row', dataset: {service: s.service}})));
  }

  function renderAgents(result) {
    if (!result.ok) {
      fill(agents, problem(result, 'agents'));
      return;
    }
    if (!result.data.length) {
      fill(agents, empty('no agent has connected yet'));
      return;
    }
    if (!changed(agents, result.data)) return;
    fill(agents, table([
      {title: 'agent', cell: a => h('code', {title: a.agentId}, short(a.agentId, 8))},
      {title: 'service', cell: a => a.service},
      {title: 'host', cell: a => a.host + (a.pid ? ' (pid ' + a.pid + ')' : '')},
      {title: 'connection', cell: a => badge(a.connected ? 'connected' : 'disconnected', a.connected ? 'up' : 'down')},
      {title: 'frames', cell: a => num(a.framesAccepted), class: 'num'},
      {title: 'duplicates', cell: a => num(a.duplicatesDropped), class: 'num'},
      {title: 'last seen', cell: a => ago(a.lastSeen)},
    ], result.data));
  }

  function renderIncidents(result) {
    if (!result.ok) {
      fill(incidents, problem(result, 'incidents'));
      return;
    }
    if (!result.data.length) {
      fill(incidents, empty('no open incidents'));
      return;
    }
    if (!changed(incidents, result.data)) return;
    fill(incidents, h('ul', {class: 'plain'}, result.data.map(i => h('li', null,
      badge(i.severity), ' ',
      h('a', {href: '#/incidents/' + encodeURIComponent(i.id), class: 'incident-link'}, i.title || i.id),
      h('span', {class: 'muted'}, ' · ' + (i.services || []).join(', ') + ' · since ' + time(i.start))))));
  }

  function renderAnomalies(result) {
    if (!result.ok) {
      fill(anomalies, problem(result, 'anomalies'));
      return;
    }
    if (!result.data.length) {
      fill(anomalies, empty('no open anomalies'));
      return;
    }
    if (!changed(anomalies, result.data)) return;
    fill(anomalies, table([
      {title: 'severity', cell: a => badge(a.severity)},
      {title: 'kind', cell: a => a.kind},
      {title: 'service', cell: a => a.service},
      {title: 'what', cell: a => a.summary || a.subject},
      {title: 'score', cell: a => num(a.score), class: 'num'},
      {title: 'since', cell: a => time(a.start)},
    ], result.data));
  }

  return {update};
}
