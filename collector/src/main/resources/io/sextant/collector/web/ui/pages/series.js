// Series explorer: pick a series, see it over a time range with the detector's expected band, the
// anomalies marked, and the forecast beyond now. Without the analysis endpoints it still draws the
// series from the store (query_range).

import {get, list, selector} from '../lib/api.js';
import {badge, changed, empty, fill, h, problem, section, table} from '../lib/dom.js';
import {compact, draw} from '../lib/charts.js';
import {duration, num, time} from '../lib/format.js';

const RANGES = {'15m': 900, '1h': 3600, '6h': 21600, '24h': 86400};

function seriesSelector(s) {
  return selector(s.name, s.labels);
}

function labelText(labels, skip) {
  return Object.keys(labels || {}).sort().filter(k => !skip || !skip.includes(k)).map(k => k + '=' + labels[k]).join(' ');
}

function fitY(data) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of [1, 2, 3, 5]) {
    for (const v of data[i] || []) {
      if (v != null && isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!isFinite(lo)) return [0, 1];
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

export function mount(root, ctx) {
  const chosen = ctx.params.get('s');
  const range = RANGES[ctx.params.get('range')] ? ctx.params.get('range') : '1h';
  const service = ctx.params.get('service') || '';
  const filter = h('input', {type: 'search', id: 'series-filter', placeholder: 'filter series', value: service,
    oninput: () => renderList()});
  const listEl = h('div', {id: 'series-list', class: 'series-list'});
  const title = h('div', {id: 'series-title'});
  const chart = h('div', {class: 'chart', id: 'series-chart'});
  const note = h('div', {id: 'series-note'});
  const anomaliesEl = h('div', {id: 'series-anomalies'});
  const forecastEl = h('div', {id: 'series-forecast'});
  const rangeSelect = h('select', {id: 'series-range', onchange: () => ctx.go('series', {s: chosen, range: rangeSelect.value})},
    Object.keys(RANGES).map(r => h('option', {value: r, selected: r === range}, 'last ' + r)));
  let all = [];

  fill(root,
    h('h1', null, 'Series explorer'),
    h('div', {class: 'explorer'},
      h('aside', {class: 'panel'}, filter, listEl),
      h('div', {class: 'explorer-main'},
        h('section', {class: 'panel'},
          h('div', {class: 'toolbar'}, title, rangeSelect),
          chart, note),
        section('Forecast', forecastEl),
        section('Anomalies in this range', anomaliesEl))));

  function renderList() {
    const needle = filter.value.trim().toLowerCase();
    const shown = all.filter(s => !needle || (s.name + ' ' + labelText(s.labels)).toLowerCase().includes(needle));
    if (!all.length) {
      fill(listEl, empty('no series yet'));
      return;
    }
    if (!changed(listEl, shown.map(seriesSelector))) return;
    fill(listEl,
      h('p', {class: 'muted'}, shown.length + ' of ' + all.length + ' series'),
      h('ul', {class: 'plain'}, shown.slice(0, 500).map(s => {
        const sel = seriesSelector(s);
        return h('li', {class: 'series-item' + (sel === chosen ? ' chosen' : '')},
          h('a', {href: '#/series?' + new URLSearchParams({s: sel, range}).toString(), class: 'series-link',
            dataset: {selector: sel}},
            h('span', {class: 'name'}, s.name), ' ',
            h('span', {class: 'muted small', title: labelText(s.labels)}, labelText(s.labels, ['instance']))));
      })));
  }

  async function update() {
    const seriesList = await get('/api/v1/series', {match: '{__name__=~".+"}'});
    if (seriesList.ok) {
      all = seriesList.data.slice().sort((a, b) => seriesSelector(a).localeCompare(seriesSelector(b)));
      renderList();
    } else {
      fill(listEl, problem(seriesList, 'series'));
    }
    if (!chosen) {
      fill(title, h('h2', null, 'Pick a series on the left'));
      fill(note, empty('no series chosen'));
      fill(anomaliesEl, empty('no series chosen'));
      fill(forecastEl, empty('no series chosen'));
      return;
    }
    await drawSeries();
  }

  async function drawSeries() {
    const seconds = RANGES[range];
    const step = Math.max(1, Math.round(seconds / 300)) + 's';
    const start = 'now-' + range;
    // A histogram is analysed as its p99 (API.md: <name>:p99): chart that, with its band and forecast.
    const found = all.find(s => seriesSelector(s) === chosen);
    const histogram = found && found.kind === 'histogram';
    const analysed = histogram ? chosen.replace(/^([^{]*)/, '$1:p99') : chosen;
    const [expected, forecast] = await Promise.all([
      get('/api/v1/expected', {series: analysed, start, end: 'now', step}),
      get('/api/v1/forecast', {series: analysed, horizon: Math.max(60, Math.round(seconds / 4)) + 's'}),
    ]);
    let values = [];
    let low = [];
    let high = [];
    let anomalies = [];
    let source;
    if (expected.ok && expected.data) {
      values = expected.data.values || [];
      low = expected.data.low || [];
      high = expected.data.high || [];
      anomalies = expected.data.anomalies || [];
      source = 'values with the expected band';
    } else {
      const [raw, signals] = await Promise.all([
        get('/api/v1/query_range', {query: chosen, start, end: 'now', step, agg: histogram ? 'p99' : 'avg'}),
        get('/api/v1/anomalies', {from: start, limit: 1000}),
      ]);
      if (!raw.ok) {
        fill(title, h('h2', null, chosen));
        fill(note, problem(raw, 'the series'));
        return;
      }
      const result = raw.data.result || [];
      values = result.length ? result[0].values : [];
      anomalies = list(signals).filter(a => a.subject === analysed);
      source = expected.noEndpoint ? 'values (no expected band on this collector yet)' :
        'values (no expected band: ' + (expected.error || 'none') + ')';
    }
    const fpoints = forecast.ok && forecast.data && Array.isArray(forecast.data.points) ? forecast.data.points : [];

    // One time axis for the observed values, the band and the forecast.
    const times = new Set();
    for (const l of [values, low, high]) for (const p of l) times.add(p[0]);
    for (const p of fpoints) times.add(p[0]);
    const xs = Array.from(times).sort((a, b) => a - b);
    const at = new Map(xs.map((t, i) => [t, i]));
    const col = () => new Array(xs.length).fill(null);
    const v = col(), lo = col(), hi = col(), marks = col(), fm = col(), fl = col(), fh = col();
    const put = (arr, l) => { for (const p of l) arr[at.get(p[0])] = p[1] == null ? null : p[1]; };
    put(v, values);
    put(lo, low);
    put(hi, high);
    for (const p of fpoints) {
      const i = at.get(p[0]);
      fm[i] = p[1];
      fl[i] = p[2];
      fh[i] = p[3];
    }
    // Mark each anomaly on the first observed point at or after its start (else the last one before).
    for (const a of anomalies) {
      if (!xs.length || a.start == null) continue;
      let at = -1;
      for (let i = 0; i < xs.length; i++) {
        if (v[i] == null) continue;
        if (xs[i] >= a.start) {
          at = i;
          break;
        }
        at = i;
      }
      if (at >= 0) marks[at] = v[at];
    }
    const data = [xs, v, lo, hi, marks, fm, fl, fh];
    draw(chart, histogram ? 'series-p99' : 'series', width => ({
      height: 320,
      cursor: {drag: {x: true, y: false}},
      // Fit y to the values, the band and the forecast's mean: a wide forecast interval is clipped at
      // the edge rather than flattening the data.
      scales: {x: {time: true}, y: {range: u => fitY(u.data)}},
      axes: [{}, {size: 64, values: compact}],
      series: [
        {},
        {label: histogram ? 'p99' : 'value', stroke: '#2f6fb0', width: 1.5},
        {label: 'expected low', stroke: 'rgba(58,156,93,0.6)', width: 1, dash: [4, 4]},
        {label: 'expected high', stroke: 'rgba(58,156,93,0.6)', width: 1, dash: [4, 4]},
        {label: 'anomaly', stroke: '#c23b3b', width: 0, paths: () => null,
          points: {show: true, size: 10, fill: '#c23b3b', stroke: '#c23b3b'}},
        {label: 'forecast', stroke: '#a24cb8', width: 1.5, dash: [6, 3]},
        {label: 'forecast low', stroke: 'rgba(162,76,184,0.4)', width: 1},
        {label: 'forecast high', stroke: 'rgba(162,76,184,0.4)', width: 1},
      ],
      bands: [
        {series: [3, 2], fill: 'rgba(58,156,93,0.15)'},
        {series: [7, 6], fill: 'rgba(162,76,184,0.12)'},
      ],
    }), data);
    fill(title, h('h2', null, chosen), found && found.unit ? h('span', {class: 'muted'}, ' unit: ' + found.unit) : null,
      histogram ? h('span', {class: 'muted'}, ' · histogram, charted as its p99') : null);
    fill(note, values.length ? h('p', {class: 'muted'}, values.length + ' points, ' + source) :
      empty('no points in the last ' + range));
    renderForecast(forecast);
    renderAnomalies(anomalies);
  }

  function renderForecast(forecast) {
    if (!forecast.ok) {
      fill(forecastEl, problem(forecast, 'forecast'));
      return;
    }
    const f = forecast.data || {};
    if (!Array.isArray(f.points) || !f.points.length) {
      fill(forecastEl, empty('no forecast for this series yet'));
      return;
    }
    fill(forecastEl, h('p', null,
      f.points.length + ' forecast points to ' + time(f.points[f.points.length - 1][0]),
      ' · season: ' + (f.season ? duration(f.season) : 'none found'),
      f.timeToThreshold != null ? ' · reaches the threshold in ' + duration(f.timeToThreshold) : ''));
  }

  function renderAnomalies(anomalies) {
    if (!anomalies.length) {
      fill(anomaliesEl, empty('no anomalies in this range'));
      return;
    }
    if (!changed(anomaliesEl, anomalies)) return;
    fill(anomaliesEl, table([
      {title: 'severity', cell: a => badge(a.severity)},
      {title: 'what', cell: a => a.summary || a.subject},
      {title: 'observed', cell: a => num(a.observed), class: 'num'},
      {title: 'expected', cell: a => num(a.expectedLow) + ' – ' + num(a.expectedHigh)},
      {title: 'score', cell: a => num(a.score), class: 'num'},
      {title: 'from', cell: a => time(a.start)},
      {title: 'to', cell: a => a.open ? 'open' : time(a.end)},
    ], anomalies));
  }

  return {update};
}
