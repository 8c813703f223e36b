// The query API from the browser. Every call answers an object and never throws:
//   {ok: true, status, data}                        a success envelope
//   {ok: false, status, noEndpoint, errorType, error} anything else (status 0 when unreachable)
// Endpoints that other parts of the collector have not brought yet answer 404 "no endpoint"; pages
// show "no data yet" for them.

async function call(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    return {ok: false, status: 0, error: 'the collector is not reachable (' + e.message + ')'};
  }
  let text = '';
  try {
    text = await response.text();
  } catch (e) {
    return {ok: false, status: response.status, error: 'the answer was cut off (' + e.message + ')'};
  }
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (response.ok && body && body.status === 'success') {
    return {ok: true, status: response.status, data: body.data};
  }
  const error = body && body.error ? body.error : (text || response.statusText || ('HTTP ' + response.status)).trim();
  return {
    ok: false,
    status: response.status,
    noEndpoint: response.status === 404 && /^no endpoint\b/.test(error),
    errorType: body && body.errorType,
    error,
  };
}

function url(path, params) {
  const u = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value != null && value !== '') u.searchParams.set(key, value);
  }
  return u;
}

/** GET an /api/v1 path with query parameters (null and '' are left out). */
export function get(path, params) {
  return call(url(path, params), {headers: {Accept: 'application/json'}, cache: 'no-store'});
}

/** POST a JSON body. */
export function post(path, body) {
  return call(url(path), {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body == null ? {} : body),
  });
}

/** The list in a success answer, or [] (for "no data yet" checks). */
export function list(result) {
  return result.ok && Array.isArray(result.data) ? result.data : [];
}

/** Writes a series selector for a name and labels, quoting values as the API's parser expects. */
export function selector(name, labels) {
  const parts = Object.keys(labels || {}).sort().map(k => k + '="' +
    String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"');
  return (name || '') + '{' + parts.join(',') + '}';
}
