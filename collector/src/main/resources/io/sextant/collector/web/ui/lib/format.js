// Formatting of the API's values: times are Unix seconds, NaN arrives as null.

const pad = n => String(n).padStart(2, '0');

/** A Unix-seconds time as local "YYYY-MM-DD HH:MM:SS" (or just the time for today). */
export function time(seconds) {
  if (seconds == null || !isFinite(seconds) || seconds <= 0) return '–';
  const d = new Date(seconds * 1000);
  const clock = pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return clock;
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + clock;
}

/** "12 s ago", "3 min ago" from Unix seconds. */
export function ago(seconds) {
  if (seconds == null || !isFinite(seconds) || seconds <= 0) return 'never';
  return duration(Math.max(0, Date.now() / 1000 - seconds)) + ' ago';
}

/** A duration in seconds as "850 ms", "42 s", "3 min", "2.5 h", "4 d". */
export function duration(seconds) {
  if (seconds == null || !isFinite(seconds)) return '–';
  const s = Math.abs(seconds);
  if (s < 1) return Math.round(s * 1000) + ' ms';
  if (s < 120) return Math.round(s) + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  if (s < 172800) return (s / 3600).toFixed(1) + ' h';
  return Math.round(s / 86400) + ' d';
}

/** A number with at most 3 significant decimals and k/M/G suffixes for large values. */
export function num(value) {
  if (value == null || value === '') return '–';
  if (typeof value !== 'number') return String(value);
  if (!isFinite(value)) return String(value);
  const a = Math.abs(value);
  if (a >= 1e12) return Number((value / 1e12).toPrecision(3)) + 'T';
  if (a >= 1e9) return Number((value / 1e9).toPrecision(3)) + 'G';
  if (a >= 1e6) return Number((value / 1e6).toPrecision(3)) + 'M';
  if (a >= 1e4) return Number((value / 1e3).toPrecision(3)) + 'k';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** Bytes as KiB/MiB/GiB. */
export function bytes(value) {
  if (value == null || !isFinite(value)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

/** A short form of a long id or hash. */
export function short(text, length) {
  const s = text == null ? '' : String(text);
  const n = length || 12;
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** Any JSON value as readable text (objects as k=v lists). */
export function text(value) {
  if (value == null) return '–';
  if (typeof value === 'number') return num(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(text).join(', ');
  return Object.entries(value).map(([k, v]) => k + '=' + (typeof v === 'object' && v !== null ? JSON.stringify(v) : text(v))).join(', ');
}
