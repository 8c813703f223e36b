// Small DOM helpers: build elements without innerHTML (text is always text), and the standard
// "no data yet" / error states every section shows when an endpoint has nothing to say.

/** Creates an element: h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'style') Object.assign(el.style, value);
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') el[key] = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of el, destroying any charts inside first. */
export function fill(el, ...children) {
  // Remember what this content was rendered from only when changed() just approved it.
  el._renderedFrom = el._pendingFrom;
  el._pendingFrom = undefined;
  destroyCharts(el);
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Destroys the uPlot instances held by chart containers inside el. */
export function destroyCharts(el) {
  for (const c of el.querySelectorAll('.chart')) {
    if (c._uplot) {
      c._uplot.destroy();
      c._uplot = null;
    }
  }
}

/** A section with a heading and a body element. */
export function section(title, ...body) {
  return h('section', {class: 'panel'}, h('h2', null, title), ...body);
}

/** The placeholder for a section with nothing to show. */
export function empty(text) {
  return h('p', {class: 'empty'}, text || 'no data yet');
}

/**
 * What to show for an API answer that is not a usable success: "no data yet" when the endpoint does
 * not exist on this collector (yet) or the list is empty, a wait note while the journal replays, and the
 * collector's own message otherwise.
 */
export function problem(result, what) {
  if (result.noEndpoint) return empty('no data yet');
  if (result.status === 503) return h('p', {class: 'empty'}, 'the collector is replaying its journal; ' + what + ' will appear when it has caught up');
  if (result.status === 0) return h('p', {class: 'error'}, result.error);
  return h('p', {class: 'error'}, what + ': ' + (result.error || ('HTTP ' + result.status)));
}

/** A table from column specs [{title, cell: row => node|string, class}] and rows. */
export function table(columns, rows, rowAttrs) {
  return h('table', {class: 'grid'},
    h('thead', null, h('tr', null, columns.map(c => h('th', {class: c.class}, c.title)))),
    h('tbody', null, rows.map((row, i) => h('tr', rowAttrs ? rowAttrs(row, i) : null,
      columns.map(c => h('td', {class: c.class}, c.cell(row, i)))))));
}

/** A coloured badge for a state, severity or health word. */
export function badge(text, kind) {
  const word = String(text == null ? '' : text);
  return h('span', {class: 'badge ' + (kind || word.toLowerCase().replace(/[^a-z_]/g, ''))}, word);
}

/**
 * True when what el shows would change: the key (any JSON value) differs from the one it was last
 * rendered from. Sections skip re-rendering identical data on each poll, so a row is not replaced
 * under the pointer of someone about to click it.
 */
export function changed(el, key) {
  const text = JSON.stringify(key);
  if (el._renderedFrom === text) return false;
  el._pendingFrom = text; // taken by the fill() that follows
  return true;
}
