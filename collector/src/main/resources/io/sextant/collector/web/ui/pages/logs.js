// Logs: templates with their counts, levels and trends (new ones highlighted), a search over the
// stored records, and the volume of the matching records by level over time.

import {get, list} from '../lib/api.js';
import {badge, changed, empty, fill, h, problem, section, table} from '../lib/dom.js';
import {bars, lines, sparkline} from '../lib/charts.js';
import {ago, num, time} from '../lib/format.js';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const LEVEL_COLORS = {TRACE: '#9aa5b1', DEBUG: '#6b7a8f', INFO: '#2f6fb0', WARN: '#d9822b', ERROR: '#c23b3b', FATAL: '#7a1f1f'};

export function mount(root, ctx) {
  const p = ctx.params;
  const form = {
    text: h('input', {type: 'search', id: 'log-text', placeholder: 'text in the message', value: p.get('text') || '', size: 30}),
    service: h('select', {id: 'log-service'}, h('option', {value: ''}, 'all services')),
    level: h('select', {id: 'log-level'}, h('option', {value: ''}, 'any level'),
      LEVELS.map(l => h('option', {value: l, selected: l === p.get('level')}, l + ' and above'))),
    template: h('input', {type: 'text', id: 'log-template', placeholder: 'template', value: p.get('template') || '', size: 30}),
  };
  const onlyNew = h('input', {type: 'checkbox', id: 'templates-new', checked: p.get('new') === 'true',
    onchange: () => update()});
  const templatesEl = h('div', {id: 'templates'});
  const volume = h('div', {class: 'chart', id: 'log-volume-chart'});
  const resultsEl = h('div', {id: 'log-results'});
  const searchForm = h('form', {class: 'toolbar', id: 'log-search', onsubmit: ev => {
    ev.preventDefault();
    ctx.go('logs', {text: form.text.value.trim(), service: form.service.value, level: form.level.value,
      template: form.template.value.trim(), new: onlyNew.checked ? 'true' : ''});
  }}, form.text, form.service, form.level, form.template, h('button', {type: 'submit'}, 'Search'));

  fill(root,
    h('h1', null, 'Logs'),
    searchForm,
    section('Templates (last hour)', h('label', {class: 'muted'}, onlyNew, ' only new templates'), templatesEl),
    section('Matching records by level', volume),
    section('Records', resultsEl));

  let servicesLoaded = false;

  async function update() {
    const service = p.get('service') || '';
    const [services, templates, records] = await Promise.all([
      servicesLoaded ? null : get('/api/v1/services'),
      get('/api/v1/logs/templates', {service, from: 'now-1h', limit: 100, new: onlyNew.checked ? 'true' : null}),
      get('/api/v1/logs', {text: p.get('text'), service, level: p.get('level'), template: p.get('template'), limit: 500}),
    ]);
    if (services && services.ok) {
      servicesLoaded = true;
      for (const s of services.data) {
        form.service.append(h('option', {value: s.service, selected: s.service === service}, s.service));
      }
    }
    renderTemplates(templates);
    renderRecords(records);
  }

  function renderTemplates(result) {
    if (!result.ok) {
      fill(templatesEl, problem(result, 'templates'));
      return;
    }
    if (!result.data.length) {
      fill(templatesEl, empty(onlyNew.checked ? 'no new templates' : 'no data yet'));
      return;
    }
    if (!changed(templatesEl, result.data)) return;
    const rows = result.data.slice().sort((a, b) => (b.new === true) - (a.new === true) || b.count - a.count);
    fill(templatesEl, table([
      {title: '', cell: t => t.new ? badge('new', 'new') : ''},
      {title: 'template', cell: t => h('a', {href: '#/logs?' + new URLSearchParams({template: t.template,
        service: t.service || ''}).toString(), class: 'template'}, h('code', null, t.template))},
      {title: 'service', cell: t => t.service},
      {title: 'count', cell: t => num(t.count), class: 'num'},
      {title: 'levels', cell: t => Object.entries(t.levels || {}).filter(([, n]) => n > 0)
        .map(([l, n]) => h('span', {class: 'level ' + l.toLowerCase()}, l + ' ' + num(n) + ' '))},
      {title: 'trend', cell: t => h('div', {class: 'chart spark', dataset: {trend: JSON.stringify(t.trend || [])}})},
      {title: 'first seen', cell: t => ago(t.firstSeen)},
      {title: 'last seen', cell: t => ago(t.lastSeen)},
    ], rows, t => ({class: 'template-row' + (t.new ? ' new' : '')})));
    for (const cell of templatesEl.querySelectorAll('.chart.spark')) {
      const trend = JSON.parse(cell.dataset.trend);
      delete cell.dataset.trend;
      if (trend.length) sparkline(cell, trend);
    }
  }

  function renderRecords(result) {
    if (!result.ok) {
      fill(resultsEl, problem(result, 'log records'));
      lines(volume, [], {});
      return;
    }
    const records = result.data;
    if (!records.length) {
      fill(resultsEl, empty('no matching records'));
    } else if (changed(resultsEl, records)) {
      fill(resultsEl, table([
        {title: 'time', cell: r => time(r.timeNanos / 1e9)},
        {title: 'level', cell: r => h('span', {class: 'level ' + String(r.level).toLowerCase()}, r.level)},
        {title: 'service', cell: r => r.service},
        {title: 'logger', cell: r => h('span', {class: 'small'}, r.logger)},
        {title: 'message', cell: r => h('div', null, r.message,
          r.exceptionClass ? h('div', {class: 'error small'}, r.exceptionClass) : null)},
      ], records, () => ({class: 'log-row'})));
    }
    // Records per minute and level, stacked side by side.
    const buckets = new Map();
    for (const r of records) {
      const minute = Math.floor(r.timeNanos / 60e9) * 60;
      if (!buckets.has(minute)) buckets.set(minute, {});
      const b = buckets.get(minute);
      b[r.level] = (b[r.level] || 0) + 1;
    }
    const minutes = Array.from(buckets.keys()).sort((a, b) => a - b);
    const present = LEVELS.filter(l => minutes.some(m => buckets.get(m)[l]));
    if (!minutes.length) {
      lines(volume, [], {height: 160});
      return;
    }
    bars(volume, minutes.map(m => time(m).slice(-8, -3)),
      present.map(l => ({label: l, color: LEVEL_COLORS[l], values: minutes.map(m => buckets.get(m)[l] || 0)})),
      {height: 180, xLabel: 'minute'});
  }

  return {update};
}
