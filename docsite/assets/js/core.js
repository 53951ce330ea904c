// core.js: the page's shared state, the hooks the data files call, and
// small DOM and formatting helpers. Every string a user wrote reaches the
// page through el() or text nodes, never as HTML; the only HTML set is
// the *_html fields, made and escaped in Go.

const M = {
  build: document.documentElement.dataset.build || '',
  idx: null,          // data/index.js, decoded (data.js)
  nodes: [],          // node objects, in index order
  byId: new Map(),    // unique id -> node
  searchRows: null,   // data/search.js rows, once loaded
  details: new Map(), // unique id -> node detail (data/n)
  testDetails: new Map(), // unique id -> test detail (data/t)
  scripts: new Map(), // src -> Promise of its loading
  errors: [],
};

// The data files call these.
window.martDocs = {
  index(d) { decodeIndex(d); boot(); },
  search(rows) { M.searchRows = rows; prepareSearchText(); },
  shard(_k, d) { for (const id in d) M.details.set(id, d[id]); },
  tests(_k, d) { for (const id in d) M.testDetails.set(id, d[id]); },
  // for tests and benchmarks: the unique ids a selector selects, and what
  // has been loaded so far
  select(include, exclude) { return selectIds(include, exclude || '').map((i) => M.nodes[i].id); },
  loaded() { return { nodes: M.nodes.length, search: M.searchRows !== null, details: M.details.size, errors: M.errors.slice() }; },
};

// loadScript adds <script src> once per src and resolves when it ran.
function loadScript(src) {
  let p = M.scripts.get(src);
  if (!p) {
    p = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = M.build ? src + '?v=' + M.build : src;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('could not load ' + src));
      document.body.appendChild(s);
    });
    M.scripts.set(src, p);
    p.catch(() => M.scripts.delete(src));
  }
  return p;
}

// el makes an element: attrs are set as attributes (on: event handlers,
// cls: class), children are nodes or strings (added as text).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

function setAttrs(e, attrs) {
  for (const k in attrs || {}) {
    const v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === 'cls') e.setAttribute('class', v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// html makes an element whose content is HTML generated (and escaped) in
// Go: only ever called with *_html fields.
function html(tag, cls, trusted) {
  const e = el(tag, { cls });
  e.innerHTML = trusted;
  return e;
}

function nodeHref(id, query) {
  return '#/node/' + encodeURIComponent(id) + (query ? '?' + query : '');
}

const INT_FORMAT = new Intl.NumberFormat('en-US'); // toLocaleString makes one per call: slow

function fmtInt(n) {
  return INT_FORMAT.format(Number(n));
}

function fmtBytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = Number(n), u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return (u ? v.toFixed(v < 10 ? 1 : 0) : v) + ' ' + units[u];
}

function fmtSeconds(s) {
  return s < 10 ? s.toFixed(2) + ' s' : s < 120 ? s.toFixed(1) + ' s' : Math.round(s / 60) + ' min';
}

function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

function statusBadge(status) {
  if (!status) return null;
  return el('span', { cls: 'badge status-' + status.replace(/\s+/g, '-') }, status);
}

function typeBadge(type) {
  return el('span', { cls: 'badge type-' + type }, type.replace('_', ' '));
}

// setPage replaces the main element's content; state is what tests and
// benchmarks wait for (data-state on <main>).
function setPage(kind, ...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat().filter(Boolean));
  main.dataset.page = kind;
  main.dataset.state = 'loading';
}

function pageReady() {
  document.getElementById('main').dataset.state = 'ready';
  performance.mark('mart-page-ready');
}

function reportError(err) {
  M.errors.push(String(err && err.message || err));
  const main = document.getElementById('main');
  main.appendChild(el('p', { cls: 'error' }, String(err && err.message || err)));
  main.dataset.state = 'error';
}
