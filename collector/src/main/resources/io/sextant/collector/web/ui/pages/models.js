// Models: the registry (versions and aliases), and for one version its latency, traffic and quality
// over time, drift per feature with the reference and current distributions, and gate results (from
// the audit trail, or run here against the live evidence).

import {get, list, post} from '../lib/api.js';
import {badge, changed, empty, fill, h, problem, section, table} from '../lib/dom.js';
import {bars, lines} from '../lib/charts.js';
import {num, short, text, time} from '../lib/format.js';

const LATENCY = /latency|^p\d|duration/i;
const QUALITY = /accuracy|precision|recall|f1|auc|logloss|log_loss|mae|rmse|mape|r2/i;
const TRAFFIC = /requests|errors|rate|count/i;

function versionName(v) {
  return typeof v === 'string' ? v : v && (v.version || v.name || v.id);
}

function seconds(row) {
  for (const k of ['time', 'start', 'end', 't']) if (typeof row[k] === 'number') return row[k];
  for (const k of ['startMs', 'timeMs', 'endMs']) if (typeof row[k] === 'number') return row[k] / 1000;
  return null;
}

/** The windows in a stats or quality answer: the first list of objects that carry a time. */
function windowsOf(data) {
  const candidates = Array.isArray(data) ? [data] : Object.values(data || {}).filter(Array.isArray);
  for (const c of candidates) {
    const rows = c.filter(r => r && typeof r === 'object' && !Array.isArray(r) && seconds(r) != null);
    if (rows.length) return rows.sort((a, b) => seconds(a) - seconds(b));
  }
  return [];
}

/** Numeric fields of the windows whose names match pattern, as chart lines. */
function fieldLines(windows, pattern) {
  const keys = new Set();
  for (const w of windows) {
    for (const [k, v] of Object.entries(w)) {
      if (typeof v === 'number' && pattern.test(k)) keys.add(k);
    }
  }
  for (const w of windows) {
    for (const [k, v] of Object.entries(w.metrics || {})) if (typeof v === 'number' && pattern.test(k)) keys.add('metrics.' + k);
  }
  return Array.from(keys).map(k => ({
    label: k.replace(/^metrics\./, ''),
    points: windows.map(w => [seconds(w), k.startsWith('metrics.') ? (w.metrics || {})[k.slice(8)] : w[k]])
      .filter(p => p[1] != null && isFinite(p[1])),
  })).filter(l => l.points.length);
}

/** Scalars of an answer, for a key/value table. */
function scalars(data) {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  return Object.entries(data).filter(([, v]) => v == null || typeof v !== 'object' ||
    (!Array.isArray(v) && Object.values(v).every(x => typeof x !== 'object')));
}

function kvTable(pairs) {
  return table([
    {title: 'what', cell: p => p[0]},
    {title: 'value', cell: p => text(p[1])},
  ], pairs);
}

export function mount(root, ctx) {
  return ctx.parts[1] ? detail(root, ctx, ctx.parts[1]) : registry(root, ctx);
}

function registry(root, ctx) {
  const listEl = h('div', {id: 'model-list'});
  fill(root, h('h1', null, 'Models'), section('Registered models', listEl));
  async function update() {
    const models = await get('/api/v1/models');
    if (!models.ok) {
      fill(listEl, problem(models, 'models'));
      return;
    }
    if (!models.data.length) {
      fill(listEl, empty('no model registered yet'));
      return;
    }
    if (!changed(listEl, models.data)) return;
    fill(listEl, table([
      {title: 'model', cell: m => h('a', {href: '#/models/' + encodeURIComponent(m.name), class: 'model-link'}, m.name)},
      {title: 'versions', cell: m => (m.versions || []).map(versionName).join(', ')},
      {title: 'aliases', cell: m => Object.entries(m.aliases || {}).map(([a, v]) => [badge(a + ' → ' + v, 'info'), ' '])},
    ], models.data));
  }
  return {update};
}

function detail(root, ctx, name) {
  const params = ctx.params;
  const head = h('div', {id: 'model-head'});
  const versionsEl = h('div', {id: 'model-versions'});
  const aliasesEl = h('div', {id: 'model-aliases'});
  const versionSelect = h('select', {id: 'model-version', onchange: () => ctx.go('models', name,
    {version: versionSelect.value, reference: referenceSelect.value})});
  const referenceSelect = h('select', {id: 'drift-reference', onchange: () => ctx.go('models', name,
    {version: versionSelect.value, reference: referenceSelect.value})},
    ['training', 'trailing'].map(r => h('option', {value: r, selected: r === (params.get('reference') || 'training')}, r)));
  const latencyChart = h('div', {class: 'chart', id: 'model-latency-chart'});
  const trafficChart = h('div', {class: 'chart', id: 'model-traffic-chart'});
  const statsEl = h('div', {id: 'model-stats'});
  const qualityChart = h('div', {class: 'chart', id: 'model-quality-chart'});
  const qualityEl = h('div', {id: 'model-quality'});
  const driftEl = h('div', {id: 'model-drift'});
  const gatesEl = h('div', {id: 'model-gates'});
  const gateForm = gateRunner(name, () => versionSelect.value);
  fill(root,
    h('p', null, h('a', {href: '#/models'}, '← all models')),
    head,
    h('div', {class: 'columns'}, section('Versions', versionsEl), section('Aliases', aliasesEl)),
    h('div', {class: 'toolbar'}, h('label', null, 'version ', versionSelect),
      h('label', null, ' drift against ', referenceSelect)),
    h('div', {class: 'columns'},
      section('Latency over time (ms)', latencyChart),
      section('Requests and errors over time', trafficChart)),
    section('Serving statistics (last hour)', statsEl),
    section('Quality over time', qualityChart, qualityEl),
    section('Drift per feature', driftEl),
    section('Gate results', gatesEl, gateForm));

  async function update() {
    const model = await get('/api/v1/models/' + encodeURIComponent(name));
    if (!model.ok) {
      fill(head, h('h1', null, name), problem(model, 'model'));
      for (const el of [versionsEl, aliasesEl, statsEl, qualityEl, driftEl]) fill(el, empty());
      lines(latencyChart, []);
      lines(trafficChart, []);
      lines(qualityChart, []);
      await renderGates();
      return;
    }
    const m = model.data;
    const versions = (m.versions || []).map(v => typeof v === 'string' ? {version: v} : v);
    const aliases = m.aliases || {};
    if (changed(head, m.name || name)) fill(head, h('h1', null, m.name || name));
    const chosen = params.get('version') || aliases.production || versionName(versions[versions.length - 1]) || '';
    if (versionSelect.options.length !== versions.length) {
      fill(versionSelect, versions.map(v => h('option', {value: v.version, selected: v.version === chosen},
        v.version + Object.entries(aliases).filter(([, x]) => x === v.version).map(([a]) => ' (' + a + ')').join(''))));
      const others = versions.filter(v => v.version !== chosen);
      for (const v of others) {
        if (!Array.from(referenceSelect.options).some(o => o.value === 'version:' + v.version)) {
          referenceSelect.append(h('option', {value: 'version:' + v.version,
            selected: params.get('reference') === 'version:' + v.version}, 'version ' + v.version));
        }
      }
    }
    renderVersions(versions, aliases);
    renderAliases(m, aliases);
    if (!chosen) return;
    const base = '/api/v1/models/' + encodeURIComponent(name) + '/versions/' + encodeURIComponent(chosen);
    const [stats, quality, drift] = await Promise.all([
      get(base + '/stats', {from: 'now-1h', to: 'now'}),
      get(base + '/quality', {from: 'now-6h', to: 'now'}),
      get(base + '/drift', {reference: referenceSelect.value}),
    ]);
    renderStats(stats);
    renderQuality(quality);
    renderDrift(drift);
    await renderGates();
  }

  function renderVersions(versions, aliases) {
    if (!versions.length) {
      fill(versionsEl, empty('no versions'));
      return;
    }
    if (!changed(versionsEl, [versions, aliases])) return;
    fill(versionsEl, table([
      {title: 'version', cell: v => h('strong', null, v.version)},
      {title: 'aliases', cell: v => Object.entries(aliases).filter(([, x]) => x === v.version).map(([a]) => [badge(a, 'info'), ' '])},
      {title: 'dataset', cell: v => text(v.dataset || v.datasetId)},
      {title: 'parameters', cell: v => text(v.parameters || v.params)},
      {title: 'training metrics', cell: v => text(v.trainingMetrics || v.metrics)},
      {title: 'digest', cell: v => h('code', {title: v.digest || v.artifactDigest || ''}, short(v.digest || v.artifactDigest, 18))},
      {title: 'registered', cell: v => time(v.registered != null ? v.registered : (v.registeredAtMs || 0) / 1000)},
    ], versions, () => ({class: 'version-row'})));
  }

  function renderAliases(m, aliases) {
    // The API answers the history per alias ({"production": [change, ...]}); flatten it, oldest first.
    const raw = m.aliasHistory || m.history || m.aliasChanges || [];
    const history = (Array.isArray(raw) ? raw : Object.values(raw).flat())
      .slice().sort((a, b) => (a.time || 0) - (b.time || 0));
    if (!changed(aliasesEl, [aliases, history])) return;
    fill(aliasesEl,
      Object.keys(aliases).length ? h('p', null, Object.entries(aliases).map(([a, v]) => [badge(a + ' → ' + v, 'info'), ' '])) :
        empty('no aliases'),
      history.length ? table([
        {title: 'when', cell: c => time(c.time != null ? c.time : (c.atMs || c.timeMs || 0) / 1000)},
        {title: 'alias', cell: c => c.alias},
        {title: 'change', cell: c => (c.fromVersion || c.from || '–') + ' → ' + (c.toVersion || c.to || c.version || '–')},
        {title: 'by', cell: c => c.actor || '–'},
        {title: 'reason', cell: c => c.reason || c.operation || '–'},
      ], history.slice().reverse()) : null);
  }

  function renderStats(result) {
    if (!result.ok) {
      fill(statsEl, problem(result, 'serving statistics'));
      lines(latencyChart, []);
      lines(trafficChart, []);
      return;
    }
    const windows = windowsOf(result.data);
    lines(latencyChart, fieldLines(windows, LATENCY), {height: 200});
    lines(trafficChart, fieldLines(windows, TRAFFIC), {height: 200});
    const flat = scalars(result.data);
    const p = result.data && (result.data.predictions || result.data.predictionDistribution);
    // Numeric predictions come as a histogram, classes as counts per class.
    const dist = p && (p.histogram || (p.counts && typeof p.counts === 'object' && !Array.isArray(p.counts) ?
      {categories: Object.keys(p.counts), counts: Object.values(p.counts)} : p));
    if (!changed(statsEl, [flat, dist, windows.length > 0])) return;
    fill(statsEl, flat.length ? kvTable(flat) : (windows.length ? null : empty()));
    if (dist && (Array.isArray(dist.edges) || Array.isArray(dist.categories))) {
      const chart = h('div', {class: 'chart', id: 'model-prediction-chart'});
      statsEl.append(h('h3', null, 'Prediction distribution'), chart);
      distribution(chart, dist);
    }
  }

  function renderQuality(result) {
    if (!result.ok) {
      fill(qualityEl, problem(result, 'quality'));
      lines(qualityChart, []);
      return;
    }
    const windows = windowsOf(result.data);
    lines(qualityChart, fieldLines(windows, QUALITY), {height: 220});
    const flat = scalars(result.data);
    fill(qualityEl, windows.length ? null : (flat.length ? kvTable(flat) : empty('no labelled predictions yet')));
  }

  function renderDrift(result) {
    if (!result.ok) {
      fill(driftEl, problem(result, 'drift'));
      return;
    }
    const features = Array.isArray(result.data) ? result.data : (result.data && (result.data.features || [])) || [];
    if (!features.length) {
      fill(driftEl, empty());
      return;
    }
    const ds = !Array.isArray(result.data) && result.data.datasetDrift;
    if (!changed(driftEl, result.data)) return;
    const cards = features.map(f => {
      const chart = h('div', {class: 'chart drift-chart'});
      const card = h('div', {class: 'drift-card' + (f.drifted ? ' drifted' : '')},
        h('h3', null, f.feature || f.name, ' ', f.drifted ? badge('drifted', 'critical') : badge('stable', 'up')),
        h('p', {class: 'muted'}, (f.statistic || f.method || 'statistic') + ' = ' + num(f.value) +
          ' (threshold ' + num(f.threshold) + ')'),
        chart);
      return {card, chart, f};
    });
    fill(driftEl,
      ds ? h('p', null, ds.drifted ? badge('dataset drift', 'critical') : badge('no dataset drift', 'up'),
        ' ' + num((ds.share || 0) * 100) + '% of features drifted (threshold ' + num((ds.threshold || 0) * 100) + '%)' +
        (result.data.referenceKind ? ' · against ' + result.data.referenceKind : '')) : null,
      h('div', {class: 'drift-grid'}, cards.map(c => c.card)));
    for (const c of cards) {
      const hist = c.f.histograms || c.f.histogram || c.f.distribution || c.f;
      if (hist && (Array.isArray(hist.edges) || Array.isArray(hist.categories))) distribution(c.chart, hist);
      else fill(c.chart, empty('no distributions'));
    }
  }

  async function renderGates() {
    const audit = await get('/api/v1/audit', {limit: 1000});
    if (!audit.ok) {
      fill(gatesEl, problem(audit, 'gate results'));
      return;
    }
    const gates = audit.data.filter(r => /gate/i.test(r.kind || '') &&
      (String(r.subject || '').includes(name) || JSON.stringify(r.detail || '').includes(name)));
    if (!gates.length) {
      fill(gatesEl, empty('no gate has been run for this model yet'));
      return;
    }
    if (!changed(gatesEl, gates)) return;
    fill(gatesEl, table([
      {title: 'when', cell: r => time(r.time)},
      {title: 'result', cell: r => {
        const d = typeof r.detail === 'object' && r.detail ? r.detail : {};
        return d.passed === true ? badge('passed', 'up') : d.passed === false ? badge('failed', 'critical') :
          badge(r.kind, 'info');
      }},
      {title: 'subject', cell: r => r.subject},
      {title: 'by', cell: r => r.actor},
      {title: 'detail', cell: r => text(r.detail)},
    ], gates));
  }

  return {update};
}

/**
 * A distribution as side-by-side bars, each as shares of its total: reference and current when both
 * are there, otherwise the one list it has (shares or counts).
 */
function distribution(chart, hist) {
  const labels = Array.isArray(hist.categories) ? hist.categories.map(String) :
    hist.edges.slice(0, -1).map((e, i) => num(e) + '–' + num(hist.edges[i + 1]));
  const share = values => {
    const total = (values || []).reduce((a, b) => a + (b || 0), 0);
    return (values || []).map(v => total > 0 ? (v || 0) / total : 0);
  };
  const specs = [
    {key: 'reference', color: '#6b7a8f'},
    {key: 'current', color: '#d9822b'},
    {key: 'shares', color: '#2f6fb0'},
    {key: 'counts', color: '#2f6fb0'},
  ].filter(s => Array.isArray(hist[s.key]))
    .map(s => ({label: s.key === 'shares' || s.key === 'counts' ? 'share' : s.key, values: share(hist[s.key]), color: s.color}));
  bars(chart, labels, specs, {height: 170, yValues: (u, splits) => splits.map(v => Math.round(v * 100) + '%')});
}

/** A form that runs a gate (candidate against a baseline under rules) and shows its report. */
function gateRunner(name, currentVersion) {
  const rules = h('textarea', {id: 'gate-rules', rows: 4, cols: 60,
    placeholder: 'gate rules as JSON, as in the CLI\'s --rules file'});
  const candidate = h('input', {type: 'text', id: 'gate-candidate', placeholder: 'candidate version', size: 12});
  const baseline = h('input', {type: 'text', id: 'gate-baseline', value: 'production', size: 12});
  const out = h('div', {id: 'gate-report'});
  const form = h('form', {class: 'gate-form', onsubmit: async ev => {
    ev.preventDefault();
    let body;
    try {
      body = rules.value.trim() ? JSON.parse(rules.value) : {};
    } catch (e) {
      fill(out, h('p', {class: 'error'}, 'rules: not JSON (' + e.message + ')'));
      return;
    }
    body.candidate = candidate.value.trim() || currentVersion();
    body.baseline = baseline.value.trim();
    fill(out, h('p', {class: 'muted'}, 'running…'));
    const r = await post('/api/v1/models/' + encodeURIComponent(name) + '/gate', body);
    if (!r.ok) {
      fill(out, problem(r, 'gate'));
      return;
    }
    const g = r.data || {};
    fill(out,
      h('p', null, g.passed ? badge('passed', 'up') : badge('failed', 'critical'),
        ' candidate ' + (g.candidate || body.candidate) + ' against ' + (g.baseline || body.baseline) +
        (g.baselineVersion && g.baselineVersion !== g.baseline ? ' (' + g.baselineVersion + ')' : '')),
      Array.isArray(g.checks) && g.checks.length ? table(Object.keys(g.checks[0]).map(k => ({
        title: k, cell: c => k === 'outcome' || k === 'passed' ? badge(String(c[k])) : text(c[k]),
      })), g.checks) : null);
  }}, h('h3', null, 'Run a gate'), rules, h('div', {class: 'toolbar'}, candidate, ' against ', baseline, ' ',
    h('button', {type: 'submit'}, 'Run gate')), out);
  return form;
}
