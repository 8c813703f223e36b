// Incidents: the list (open, resolved, all) with actions waiting for approval, and one incident with
// its timeline, members and why they were grouped, ranked causes with their evidence, and the
// remediation actions with approve / reject.

import {get, list, post} from '../lib/api.js';
import {badge, changed, empty, fill, h, problem, section, table} from '../lib/dom.js';
import {duration, num, text, time} from '../lib/format.js';

const ACTOR_KEY = 'sextant.actor';

function actor() {
  return window.localStorage.getItem(ACTOR_KEY) || 'dashboard';
}

export function mount(root, ctx) {
  return ctx.parts[1] ? detail(root, ctx, ctx.parts[1]) : overview(root, ctx);
}

function overview(root, ctx) {
  const state = ctx.params.get('state') || 'open';
  const select = h('select', {id: 'incident-state', onchange: () => ctx.go('incidents', {state: select.value})},
    ['open', 'resolved', 'all'].map(s => h('option', {value: s, selected: s === state}, s)));
  const listEl = h('div', {id: 'incident-list'});
  const pending = h('div', {id: 'pending-actions'});
  fill(root,
    h('h1', null, 'Incidents'),
    h('div', {class: 'toolbar'}, h('label', null, 'show ', select)),
    section('Incidents', listEl),
    section('Actions waiting for approval', pending));

  async function update() {
    const [incidents, actions] = await Promise.all([
      get('/api/v1/incidents', {state, limit: 200}),
      get('/api/v1/actions', {state: 'PENDING_APPROVAL', limit: 100}),
    ]);
    if (!incidents.ok) {
      fill(listEl, problem(incidents, 'incidents'));
    } else if (!incidents.data.length) {
      fill(listEl, empty(state === 'open' ? 'no open incidents' : 'no incidents'));
    } else if (changed(listEl, incidents.data)) {
      fill(listEl, table([
        {title: 'severity', cell: i => badge(i.severity)},
        {title: 'incident', cell: i => h('a', {href: '#/incidents/' + encodeURIComponent(i.id), class: 'incident-link'},
          i.title || i.id)},
        {title: 'state', cell: i => badge(i.state)},
        {title: 'services', cell: i => (i.services || []).join(', ')},
        {title: 'signals', cell: i => num(i.memberCount), class: 'num'},
        {title: 'top cause', cell: i => i.topCause ? (i.topCause.subject || text(i.topCause)) : '–'},
        {title: 'started', cell: i => time(i.start)},
        {title: 'lasted', cell: i => duration((i.end || Date.now() / 1000) - i.start)},
      ], incidents.data, i => ({class: 'incident-row' + (i.predicted ? ' predicted' : ''),
        dataset: {id: i.id}, onclick: ev => {
          if (ev.target.tagName !== 'A') ctx.go('incidents', i.id);
        }})));
    }
    renderActions(pending, actions, update, true);
  }

  return {update};
}

function detail(root, ctx, id) {
  const head = h('div', {id: 'incident-head'});
  const timeline = h('div', {id: 'incident-timeline'});
  const members = h('div', {id: 'incident-members'});
  const causes = h('div', {id: 'incident-causes'});
  const actions = h('div', {id: 'incident-actions'});
  fill(root,
    h('p', null, h('a', {href: '#/incidents'}, '← all incidents')),
    head,
    section('Timeline', timeline),
    section('Likely causes', causes),
    section('Remediation actions', actions),
    section('Signals in this incident', members));

  async function update() {
    const [incident, ranked, acts] = await Promise.all([
      get('/api/v1/incidents/' + encodeURIComponent(id)),
      get('/api/v1/incidents/' + encodeURIComponent(id) + '/causes'),
      get('/api/v1/actions', {incident: id, limit: 100}),
    ]);
    if (!incident.ok) {
      fill(head, h('h1', null, 'Incident ' + id), problem(incident, 'incident'));
      fill(timeline);
      fill(members);
    } else {
      renderHead(incident.data);
      renderTimeline(incident.data);
      renderMembers(incident.data);
    }
    renderCauses(ranked);
    renderActions(actions, acts, update, false);
  }

  function renderHead(i) {
    if (!changed(head, i)) return;
    fill(head,
      h('h1', null, i.title || i.id),
      h('p', null, badge(i.state), ' ', badge(i.severity), i.predicted ? [' ', badge('predicted', 'info')] : null,
        h('span', {class: 'muted'}, ' · started ' + time(i.start) + (i.end ? ' · ended ' + time(i.end) : '') +
          ' · ' + duration((i.end || Date.now() / 1000) - i.start) +
          ' · services: ' + ((i.services || []).join(', ') || '–'))));
  }

  function renderTimeline(i) {
    if (!changed(timeline, i)) return;
    const memberList = i.members || [];
    const events = Array.isArray(i.timeline) ? i.timeline : [];
    const starts = memberList.map(m => m.signal && m.signal.start).filter(v => v != null)
      .concat(events.map(e => e.time).filter(v => v != null), [i.start]);
    const t0 = Math.min(...starts);
    const t1 = Math.max(i.end || Date.now() / 1000, ...memberList.map(m => (m.signal && m.signal.end) || 0), t0 + 1);
    const pct = t => ((t - t0) / (t1 - t0) * 100).toFixed(2) + '%';
    const lanes = memberList.map(m => {
      const s = m.signal || {};
      const end = s.end || t1;
      return h('div', {class: 'lane'},
        h('div', {class: 'lane-label', title: s.subject || ''}, s.subject || s.id || '?'),
        h('div', {class: 'lane-track'},
          h('div', {class: 'lane-bar ' + String(s.severity || '').toLowerCase(),
            title: (s.summary || '') + ' (' + time(s.start) + ' – ' + (s.end ? time(s.end) : 'open') + ')',
            style: {left: pct(s.start), width: 'max(4px, ' + pct(end - s.start + t0) + ')'}})));
    });
    fill(timeline,
      lanes.length ? h('div', {class: 'lanes'}, lanes,
        h('div', {class: 'lane'}, h('div', {class: 'lane-label'}), h('div', {class: 'lane-axis'},
          h('span', null, time(t0)), h('span', null, time(t1))))) : null,
      events.length ? h('ol', {class: 'timeline'}, events.map(e => h('li', null,
        h('span', {class: 'when'}, time(e.time)), ' ',
        e.kind || e.event ? badge(e.kind || e.event, 'info') : null, ' ',
        e.summary || e.text || e.description || (e.kind ? e.event : null) || text(e)))) : null,
      !lanes.length && !events.length ? empty('no timeline yet') : null);
  }

  function renderMembers(i) {
    const memberList = i.members || [];
    if (!memberList.length) {
      fill(members, empty('no signals'));
      return;
    }
    if (!changed(members, memberList)) return;
    fill(members, table([
      {title: 'severity', cell: m => badge(m.signal.severity)},
      {title: 'kind', cell: m => m.signal.kind},
      {title: 'service', cell: m => m.signal.service},
      {title: 'signal', cell: m => h('div', null, m.signal.summary || m.signal.subject,
        m.signal.subject && m.signal.kind && /METRIC|PREDICTED/.test(m.signal.kind) ?
          [' ', h('a', {href: '#/series?s=' + encodeURIComponent(m.signal.subject)}, 'chart')] : null)},
      {title: 'score', cell: m => num(m.signal.score), class: 'num'},
      {title: 'start', cell: m => time(m.signal.start)},
      {title: 'why it is here', cell: m => m.reason || '–', class: 'reason'},
    ], memberList, () => ({class: 'member-row'})));
  }

  function renderCauses(result) {
    if (!result.ok) {
      fill(causes, problem(result, 'causes'));
      return;
    }
    if (!result.data.length) {
      fill(causes, empty('no causes ranked yet'));
      return;
    }
    if (!changed(causes, result.data)) return;
    const top = Math.max(...result.data.map(c => c.score || 0), 1e-9);
    fill(causes, h('ol', {class: 'causes'}, result.data.map(c => h('li', {class: 'cause'},
      h('div', {class: 'cause-head'},
        h('span', {class: 'rank'}, '#' + c.rank), ' ', badge(c.kind, 'info'), ' ',
        h('strong', null, c.subject), c.service ? h('span', {class: 'muted'}, ' · ' + c.service) : null,
        h('span', {class: 'score'}, h('meter', {min: 0, max: top, value: c.score || 0}), ' ', num(c.score))),
      h('ul', {class: 'evidence'}, (c.evidence || []).map(e => h('li', null, e)))))));
  }

  return {update};
}

/** The actions table, with approve / reject on those waiting for approval. */
function renderActions(el, result, refresh, showIncident) {
  const focused = document.activeElement;
  if (focused && el.contains(focused) && focused.tagName === 'INPUT') return; // someone is typing a reason
  if (!result.ok) {
    fill(el, problem(result, 'actions'));
    return;
  }
  if (!result.data.length) {
    fill(el, empty(showIncident ? 'nothing waits for approval' : 'no actions'));
    return;
  }
  if (!changed(el, result.data)) return;
  const who = h('input', {type: 'text', class: 'actor', value: actor(), size: 14, 'aria-label': 'approve as',
    onchange: () => window.localStorage.setItem(ACTOR_KEY, who.value.trim() || 'dashboard')});
  const columns = [
    {title: 'action', cell: a => h('div', null, h('strong', null, a.rule || a.id), h('div', {class: 'muted'}, a.kind))},
    {title: 'state', cell: a => badge(a.state), class: 'action-state'},
    {title: 'detail', cell: a => text(a.detail)},
    {title: 'result', cell: a => text(a.result)},
    {title: 'updated', cell: a => time(a.updated || a.created)},
    {title: 'decision', cell: a => decision(a)},
  ];
  if (showIncident) {
    columns.splice(1, 0, {title: 'incident', cell: a => a.incident ?
      h('a', {href: '#/incidents/' + encodeURIComponent(a.incident)}, a.incident) : '–'});
  }
  fill(el, h('p', {class: 'muted'}, 'decide as ', who), table(columns, result.data,
    a => ({class: 'action-row', dataset: {id: a.id, state: a.state}})));

  function decision(a) {
    if (a.state !== 'PENDING_APPROVAL') return '–';
    const reason = h('input', {type: 'text', class: 'reason', placeholder: 'reason (optional)', size: 18});
    const note = h('span', {class: 'muted note'});
    const act = verb => async ev => {
      const buttons = ev.target.parentElement.querySelectorAll('button');
      buttons.forEach(b => b.disabled = true);
      note.textContent = verb === 'approve' ? 'approving…' : 'rejecting…';
      const r = await post('/api/v1/actions/' + encodeURIComponent(a.id) + '/' + verb,
        {actor: who.value.trim() || 'dashboard', reason: reason.value.trim()});
      if (r.ok) {
        const row = ev.target.closest('tr');
        const stateCell = row && row.querySelector('.action-state');
        if (stateCell && r.data && r.data.state) fill(stateCell, badge(r.data.state));
        if (row && r.data && r.data.state) row.dataset.state = r.data.state;
        note.textContent = (verb === 'approve' ? 'approved' : 'rejected') + ' by ' + (who.value.trim() || 'dashboard');
        reason.blur();
        await refresh();
      } else {
        note.textContent = r.status === 409 ? 'no longer pending: ' + r.error : 'failed: ' + r.error;
        buttons.forEach(b => b.disabled = false);
      }
    };
    return h('div', {class: 'decide'},
      reason, ' ',
      h('button', {type: 'button', class: 'approve', onclick: act('approve')}, 'Approve'), ' ',
      h('button', {type: 'button', class: 'reject', onclick: act('reject')}, 'Reject'), ' ',
      note);
  }
}
