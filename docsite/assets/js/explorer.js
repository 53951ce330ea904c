// explorer.js: the lineage explorer (#/lineage?select=...&exclude=...):
// draws the nodes a selector selects, as `mart ls --select` would list
// them, when there are at most EXPLORER_LIMIT.

function explorerPage(params) {
  const select = params.get('select') || '', exclude = params.get('exclude') || '';
  const sel = el('input', { type: 'text', name: 'select', value: select, cls: 'filter', spellcheck: 'false',
    placeholder: '--select, e.g. +fct_reservations+ or tag:finance', 'aria-label': 'select' });
  const exc = el('input', { type: 'text', name: 'exclude', value: exclude, cls: 'filter', spellcheck: 'false',
    placeholder: '--exclude', 'aria-label': 'exclude' });
  const form = el('form', { cls: 'controls', onsubmit: (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (sel.value.trim()) q.set('select', sel.value.trim());
    if (exc.value.trim()) q.set('exclude', exc.value.trim());
    location.hash = '#/lineage' + (q.toString() ? '?' + q : '');
  } }, el('label', {}, 'select ', sel), el('label', {}, 'exclude ', exc), el('button', { type: 'submit' }, 'Draw'));
  setPage('lineage', el('h1', {}, 'Lineage explorer'), form, explorerBody(select, exclude), selectorHelp());
  pageReady();
}

function explorerBody(select, exclude) {
  if (!select.trim()) return el('p', { cls: 'hint' }, 'Type a selector and press Draw. The layer overview is on the ', el('a', { href: '#/' }, 'overview'), '.');
  let ids;
  try {
    ids = selectIds(select, exclude);
  } catch (err) {
    return el('p', { cls: 'error' }, err.message);
  }
  if (!ids.length) return el('p', { cls: 'hint' }, 'Nothing selected.');
  if (ids.length > EXPLORER_LIMIT) {
    return el('div', {}, el('p', { cls: 'hint' }, `${fmtInt(ids.length)} nodes selected: the explorer draws at most ${EXPLORER_LIMIT}. Narrow the selection (for example with a depth, 2+name+1, or an intersection, tag:x,path:models/marts). The first 100:`),
      el('ul', { cls: 'plain' }, ids.slice(0, 100).map((i) => el('li', {}, el('a', { href: nodeHref(M.nodes[i].id) }, M.nodes[i].name), ' ', typeBadge(M.nodes[i].type)))));
  }
  const edges = directEdges(new Set(ids));
  const caps = new Map();
  const wrap = el('div', { cls: 'graph-wrap tall' });
  const draw = () => {
    const lay = layout(ids, edges, { label: (i) => M.nodes[i].name, priority: () => 0, caps: (r) => caps.get(r) || 60 });
    wrap.replaceChildren(drawGraph(lay, { label: 'Selected nodes', box: (i, b) => nodeBox(M.nodes[i], b, false),
      more: (r) => { caps.set(r, (caps.get(r) || 60) + MORE_STEP); draw(); } }));
  };
  draw();
  return el('div', {}, el('p', { cls: 'graph-note' }, `${fmtInt(ids.length)} nodes selected.`), wrap);
}

function selectorHelp() {
  const rows = [
    ['stg_members', 'a node by name (wildcards: stg_*)'], ['+fct_reservations', 'it and all its ancestors'],
    ['2+fct_reservations+1', 'two levels up, one down'], ['@dim_members', 'its descendants and all their ancestors'],
    ['tag:finance', 'by tag'], ['path:models/marts', 'by folder or file'], ['config.materialized:incremental', 'by config'],
    ['source:raw', "a source's tables"], ['resource_type:seed', 'by type'], ['result:error', 'failed in the last run'],
    ['tag:core,path:models/marts', 'comma: in both'], ['stg_a stg_b', 'space: in either'],
  ];
  return el('details', { cls: 'help' }, el('summary', {}, 'Selector syntax'),
    el('table', {}, el('tbody', {}, rows.map(([s, what]) => el('tr', {}, el('td', {}, el('code', {}, s)), el('td', {}, what))))),
    el('p', {}, 'As on the command line (mart ls --select). Not here: state: (needs a previous manifest); tests are not drawn, so test_type: and unit_test: select nothing.'));
}
