// The audit trail: whether the hash chain verifies, and the records newest first.

import {get} from '../lib/api.js';
import {badge, changed, empty, fill, h, problem, section, table} from '../lib/dom.js';
import {num, short, text, time} from '../lib/format.js';

export function mount(root, ctx) {
  const verifyEl = h('div', {id: 'audit-verify'});
  const kind = h('select', {id: 'audit-kind', onchange: () => render()}, h('option', {value: ''}, 'all kinds'));
  const recordsEl = h('div', {id: 'audit-records'});
  let records = [];
  fill(root,
    h('h1', null, 'Audit trail'),
    section('Verification', verifyEl),
    section('Records', h('div', {class: 'toolbar'}, kind), recordsEl));

  function render() {
    const shown = records.filter(r => !kind.value || r.kind === kind.value);
    if (!shown.length) {
      fill(recordsEl, empty(records.length ? 'no records of this kind' : 'no data yet'));
      return;
    }
    if (!changed(recordsEl, [kind.value, shown])) return;
    fill(recordsEl, table([
      {title: 'seq', cell: r => num(r.seq), class: 'num'},
      {title: 'time', cell: r => time(r.time)},
      {title: 'kind', cell: r => badge(r.kind, 'info')},
      {title: 'actor', cell: r => r.actor},
      {title: 'subject', cell: r => r.subject},
      {title: 'detail', cell: r => h('span', {class: 'small'}, text(r.detail))},
      {title: 'hash', cell: r => h('code', {title: r.hash}, short(r.hash, 10))},
      {title: 'previous', cell: r => h('code', {title: r.previousHash}, short(r.previousHash, 10))},
    ], shown, r => ({class: 'audit-row', dataset: {seq: r.seq}})));
  }

  async function update() {
    const [verify, audit] = await Promise.all([get('/api/v1/audit/verify'), get('/api/v1/audit', {limit: 500})]);
    if (!verify.ok) {
      fill(verifyEl, problem(verify, 'verification'));
    } else {
      const v = verify.data;
      fill(verifyEl, h('p', {class: 'verify ' + (v.ok ? 'ok' : 'bad')},
        v.ok ? badge('verified', 'up') : badge('broken', 'critical'), ' ',
        v.ok ? 'the hash chain of ' + num(v.records) + ' records is intact' :
          'the chain breaks at record ' + (v.firstBad ? v.firstBad.seq : '?') + ': ' +
          (v.firstBad ? v.firstBad.problem : 'unknown problem') + ' (' + num(v.records) + ' records)'));
    }
    if (!audit.ok) {
      records = [];
      fill(recordsEl, problem(audit, 'audit records'));
      return;
    }
    records = audit.data;
    const kinds = Array.from(new Set(records.map(r => r.kind))).sort();
    for (const k of kinds) {
      if (!Array.from(kind.options).some(o => o.value === k)) kind.append(h('option', {value: k}, k));
    }
    render();
  }

  return {update};
}
