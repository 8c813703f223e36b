// Charts with uPlot (served from its WebJar). A chart lives in a container element with the class
// "chart": the container keeps its uPlot instance and replaces only the data on a refresh while the
// shape (the key) stays the same. After every draw the container's data-points attribute holds the
// number of non-null values drawn, which the browser tests read.

import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import {num} from './format.js';

export const COLORS = ['#2f6fb0', '#d9822b', '#3a9c5d', '#a24cb8', '#c23b3b', '#6b7a8f', '#b59b22', '#1b9aaa'];

function countPoints(data) {
  let n = 0;
  for (let i = 1; i < data.length; i++) {
    for (const v of data[i]) if (v != null) n++;
  }
  return n;
}

function widthOf(container) {
  return Math.max(160, Math.floor(container.clientWidth || container.parentElement?.clientWidth || 600));
}

/**
 * Draws (or redraws) a uPlot chart in container.
 * @param key   changes when the series layout changes; the chart is then rebuilt.
 * @param opts  width => uPlot options (without width).
 */
export function draw(container, key, opts, data) {
  let u = container._uplot;
  if (u && container._key === key) {
    u.setData(data);
  } else {
    if (u) u.destroy();
    container.replaceChildren();
    const o = opts(widthOf(container));
    o.width = widthOf(container);
    u = new uPlot(o, data, container);
    container._uplot = u;
    container._key = key;
  }
  container.dataset.points = String(countPoints(data));
  return u;
}

/** Axis labels in the compact form (12.5k, 3.20M) so large values fit the axis. */
export const compact = (u, splits) => splits.map(v => (v == null ? '' : num(v)));

/** Aligns several [[t, v], ...] lists on one sorted time axis: [xs, ys1, ys2, ...] with nulls. */
export function align(lists) {
  const times = new Set();
  for (const l of lists) for (const p of l || []) times.add(p[0]);
  const xs = Array.from(times).sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const out = [xs];
  for (const l of lists) {
    const ys = new Array(xs.length).fill(null);
    for (const p of l || []) ys[index.get(p[0])] = p[1] == null || !isFinite(p[1]) ? null : p[1];
    out.push(ys);
  }
  return out;
}

/** A time chart of named lines: lines = [{label, points: [[t, v]...], color}]. */
export function lines(container, lineSpecs, options) {
  const o = options || {};
  const data = align(lineSpecs.map(l => l.points));
  const key = 'lines:' + lineSpecs.map(l => l.label).join('|');
  return draw(container, key, width => ({
    height: o.height || 220,
    cursor: {drag: {x: true, y: false}},
    scales: {x: {time: true}, y: o.yRange ? {range: o.yRange} : {}},
    axes: [{}, {size: 60, label: o.yLabel, values: o.yValues || compact}],
    series: [{}].concat(lineSpecs.map((l, i) => ({
      label: l.label,
      stroke: l.color || COLORS[i % COLORS.length],
      width: 1.5,
      spanGaps: l.spanGaps !== false,
      points: {show: l.showPoints || false},
    }))),
  }), data);
}

/** A small chart without axes or legend for a table cell. */
export function sparkline(container, points, color) {
  const data = align([points]);
  return draw(container, 'spark', width => ({
    width,
    height: 34,
    legend: {show: false},
    cursor: {show: false},
    scales: {x: {time: false}},
    axes: [{show: false}, {show: false}],
    series: [{}, {stroke: color || COLORS[0], width: 1.5, fill: 'rgba(47,111,176,0.12)', points: {show: false}}],
  }), data);
}

/**
 * Side-by-side bars per category: labels = ['0–1', ...], bars = [{label, values, color}].
 */
export function bars(container, labels, barSpecs, options) {
  const o = options || {};
  const xs = labels.map((_, i) => i);
  const data = [xs].concat(barSpecs.map(b => b.values.map(v => (v == null || !isFinite(v) ? null : v))));
  const n = barSpecs.length;
  const size = 0.8 / n;
  const key = 'bars:' + labels.length + ':' + barSpecs.map(b => b.label).join('|');
  return draw(container, key, width => ({
    height: o.height || 180,
    legend: {show: true},
    cursor: {points: {show: false}},
    scales: {x: {time: false, range: [-0.5, labels.length - 0.5]}, y: {range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1]}},
    axes: [
      {splits: () => xs, values: (u, splits) => splits.map(i => labels[i] == null ? '' : labels[i]), size: 40, gap: 4},
      {size: 50, values: o.yValues || compact},
    ],
    series: [{label: o.xLabel || 'bin'}].concat(barSpecs.map((b, i) => ({
      label: b.label,
      stroke: b.color || COLORS[i % COLORS.length],
      fill: (b.color || COLORS[i % COLORS.length]) + '99',
      width: 1,
      points: {show: false},
      // Each series' bars start at x - 0.4 + i * size (data units) and are size wide: side by side.
      paths: uPlot.paths.bars({disp: {
        x0: {unit: 1, values: () => xs.map(x => x - 0.4 + i * size)},
        size: {unit: 1, values: () => [size]},
      }}),
    }))),
  }), data);
}

export {uPlot};
