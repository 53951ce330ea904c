// overview.js: the front page (counts, the last run, the layers of the
// project as a graph of folders, the folder tree) and folder pages.

const TYPE_ORDER = ['model', 'source', 'seed', 'snapshot', 'test', 'unit_test', 'analysis'];

function overviewPage() {
  const d = M.idx;
  const counts = Object.keys(d.counts).sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
  setPage('overview',
    el('h1', {}, d.project),
    el('p', { cls: 'meta' }, `${d.adapter} · target ${d.target}`, d.generated_at ? ` · compiled ${fmtTime(d.generated_at)}` : ''),
    el('ul', { cls: 'counts' }, counts.map((t) => el('li', {}, el('strong', {}, fmtInt(d.counts[t])), ' ', t.replace('_', ' ') + 's'))),
    runSummary(d.run), catalogSummary(d.catalog),
    el('section', {}, el('h2', {}, 'Layers'), el('p', { cls: 'hint' }, 'Folders and sources, with how many nodes each holds; an arrow says that a layer reads another. Open one to list its nodes.'),
      layerGraph()),
    el('section', {}, el('h2', {}, 'Folders'), folderTree()));
  pageReady();
}

function runSummary(run) {
  if (!run) return el('p', { cls: 'hint' }, 'No run yet: the last run’s statuses appear here after mart build.');
  const st = Object.keys(run.statuses).sort();
  const bad = (run.statuses.error || 0) + (run.statuses.fail || 0);
  return el('p', { cls: 'run' }, `Last ${run.command || 'run'} ${fmtTime(run.generated_at)} in ${fmtSeconds(run.elapsed)}: `,
    st.map((s) => [statusBadge(s), ' ', fmtInt(run.statuses[s]), ' ']),
    bad ? el('a', { href: '#/lineage?select=' + encodeURIComponent('result:error result:fail') }, 'show the failures') : null);
}

function catalogSummary(c) {
  if (!c || (!c.relations && !c.errors.length)) {
    return el('p', { cls: 'hint' }, 'No warehouse catalog (generated with --empty-catalog, or nothing built yet): column types and row counts are missing.');
  }
  return el('p', { cls: 'meta' }, `Catalog read ${fmtTime(c.generated_at)}: ${fmtInt(c.relations)} relation${c.relations === 1 ? '' : 's'}.`,
    c.errors.length ? el('span', { cls: 'error' }, ' Not read: ' + c.errors.join('; ')) : null);
}

// layerGraph draws the layers (data.js: a source's source, else the first
// two levels of a folder, models/staging) and which read which.
function layerGraph() {
  const groups = new Map(), reads = new Map();
  for (const n of M.nodes) {
    const g = n.layer;
    groups.set(g, (groups.get(g) || 0) + 1);
    for (const p of n.parents) {
      const pg = M.nodes[p].layer;
      if (pg === g) continue;
      if (!reads.has(pg)) reads.set(pg, new Set());
      reads.get(pg).add(g);
    }
  }
  const ids = [...groups.keys()].sort(), edges = [];
  for (const [pg, gs] of reads) for (const g of gs) edges.push([pg, g]);
  const lay = layout(ids, edges, { label: (k) => k, priority: () => 0, caps: () => 200 });
  lay.edges = lay.edges.map(([a, b]) => [a, b, false]);
  return el('div', { cls: 'graph-wrap' }, drawGraph(lay, {
    label: 'Layers of the project',
    box: (k, b) => svg('a', { href: '#/folder/' + encodeURIComponent(k),
      cls: 'box layer' + (k.startsWith('source:') ? ' type-source' : ' type-model'), transform: `translate(${b.x},${b.y})` },
    svg('title', {}, k), svg('rect', { width: BOX_W, height: BOX_H, rx: 6 }), svg('rect', { cls: 'stripe', width: 5, height: BOX_H, rx: 2 }),
    svg('text', { x: 14, y: 21 }, `${k.length > 22 ? k.slice(0, 21) + '…' : k} (${fmtInt(groups.get(k))})`)),
    more: () => {},
  }));
}

// folderTree lists every folder with the number of nodes below it.
function folderTree() {
  const inDir = new Array(M.idx.dirs.length).fill(0), below = new Map();
  for (const n of M.nodes) inDir[n.dirIndex]++;
  M.idx.dirs.forEach((dir, k) => {
    const parts = dir ? dir.split('/') : [];
    for (let j = 1; j <= parts.length; j++) { const f = parts.slice(0, j).join('/'); below.set(f, (below.get(f) || 0) + inDir[k]); }
  });
  const kids = new Map();
  for (const f of [...below.keys()].sort()) {
    const parent = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
    if (!kids.has(parent)) kids.set(parent, []);
    kids.get(parent).push(f);
  }
  const list = (parent, depth) => el('ul', { cls: 'tree' }, (kids.get(parent) || []).map((f) => {
    const label = [el('a', { href: '#/folder/' + encodeURIComponent(f) }, f.slice(f.lastIndexOf('/') + 1)), ' ', el('span', { cls: 'count' }, fmtInt(below.get(f)))];
    return el('li', {}, kids.has(f) ? el('details', { open: depth < 1 }, el('summary', {}, label), list(f, depth + 1)) : label);
  }));
  return list('', 0);
}

const FOLDER_LIMIT = 1000;

function folderPage(folder) {
  const inside = M.nodes.filter((n) => n.dir === folder || n.dir.startsWith(folder + '/') || (folder.startsWith('source:') && n.layer === folder));
  const rows = inside.slice(0, FOLDER_LIMIT).map((n) => el('tr', {},
    el('td', {}, el('a', { href: nodeHref(n.id) }, n.name)), el('td', {}, typeBadge(n.type)), el('td', {}, n.materialized),
    el('td', {}, statusBadge(n.status)), el('td', { cls: 'desc', 'data-i': n.i }, M.searchRows ? clipText(M.searchRows[n.i][0], 140) : '')));
  setPage('folder', el('p', { cls: 'crumbs' }, el('a', { href: '#/' }, 'Overview'), ' / ', folder),
    el('h1', {}, folder), el('p', { cls: 'meta' }, `${fmtInt(inside.length)} nodes`, inside.length > FOLDER_LIMIT ? `, the first ${FOLDER_LIMIT} listed` : '', ' · ',
      el('a', { href: '#/lineage?select=' + encodeURIComponent('path:' + folder) }, 'draw their lineage')),
    el('table', { cls: 'list' }, el('thead', {}, el('tr', {}, ['Name', 'Type', 'Materialized', 'Last run', 'Description'].map((h) => el('th', {}, h)))), el('tbody', {}, rows)));
  if (!M.searchRows) loadSearchData().then(() => {
    for (const td of document.querySelectorAll('td.desc')) td.textContent = clipText(M.searchRows[Number(td.dataset.i)][0], 140);
  }).catch(reportError);
  pageReady();
}

function clipText(s, n) {
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
