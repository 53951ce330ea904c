// lineage.js: the graph around a node, up and down to the depths the
// reader picks, optionally filtered by a selector; and the lineage
// explorer, which draws what a selector selects. Only the neighbourhood is
// ever laid out, and a column shows at most COLUMN_CAP boxes until the
// reader asks for more, so a node with thousands of children draws as fast
// as one with two.

const COLUMN_CAP = 24, MORE_STEP = 100, EXPLORER_LIMIT = 400;

// neighbourhood maps each node within up parent steps and down child
// steps of focus (-1: any) to its distance (negative upstream).
function neighbourhood(focus, up, down) {
  const dist = new Map([[focus, 0]]);
  const bfs = (dir, depth, sign) => {
    let frontier = [focus];
    for (let d = 1; frontier.length && (depth < 0 || d <= depth); d++) {
      const next = [];
      for (const i of frontier) for (const j of M.nodes[i][dir]) if (!dist.has(j)) { dist.set(j, sign * d); next.push(j); }
      frontier = next;
    }
  };
  bfs('parents', up, -1);
  bfs('children', down, 1);
  return dist;
}

// visibleEdges joins the shown nodes: directly, or, when a filter hid the
// nodes between them, through hidden ones of the neighbourhood (marked
// indirect). Each hidden node's nearest shown ancestors are found once.
function visibleEdges(shown, inHood) {
  const memo = new Map();
  const nearest = (h) => { // shown ancestors of hidden node h reached through hidden nodes
    if (memo.has(h)) return memo.get(h);
    memo.set(h, new Set()); // a cycle cannot happen; this only guards
    const out = new Set();
    for (const p of M.nodes[h].parents) {
      if (!inHood.has(p)) continue;
      if (shown.has(p)) out.add(p);
      else for (const q of nearest(p)) out.add(q);
    }
    memo.set(h, out);
    return out;
  };
  const edges = [];
  for (const i of shown) {
    const ends = new Map();
    for (const p of M.nodes[i].parents) {
      if (!inHood.has(p)) continue;
      if (shown.has(p)) ends.set(p, false);
      else for (const q of nearest(p)) if (!ends.has(q)) ends.set(q, true);
    }
    for (const [p, indirect] of ends) edges.push([p, i, indirect]);
  }
  return edges;
}

// directEdges are the edges between the nodes of shown.
function directEdges(shown) {
  const edges = [];
  for (const i of shown) for (const p of M.nodes[i].parents) if (shown.has(p)) edges.push([p, i, false]);
  return edges;
}

// drawGraph renders a layout as SVG: a box per node linking to its page, a
// box per overflowing column that shows more when clicked.
function drawGraph(lay, opts) {
  const g = svg('svg', { cls: 'graph', width: lay.width, height: lay.height, viewBox: `0 0 ${lay.width} ${lay.height}`,
    role: 'img', 'aria-label': opts.label });
  g.appendChild(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 7,
    markerHeight: 7, orient: 'auto' }, svg('path', { d: 'M0,0 L8,4 L0,8 z' }))));
  const edges = svg('g', { cls: 'edges' });
  for (const [a, b, indirect] of lay.edges) {
    const p = lay.boxes.get(a), q = lay.boxes.get(b);
    const x1 = p.x + BOX_W, y1 = p.y + BOX_H / 2, x2 = q.x, y2 = q.y + BOX_H / 2, mx = (x1 + x2) / 2;
    edges.appendChild(svg('path', { cls: indirect ? 'edge indirect' : 'edge', d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
      'marker-end': 'url(#arrow)' }));
  }
  g.appendChild(edges);
  for (const [k, b] of lay.boxes) g.appendChild(opts.box(k, b));
  for (const [r, o] of lay.overflow) {
    g.appendChild(svg('g', { cls: 'box more', transform: `translate(${o.x},${o.y})`, tabindex: 0, role: 'button',
      onclick: () => opts.more(r), onkeydown: (e) => { if (e.key === 'Enter') opts.more(r); } },
    svg('rect', { width: BOX_W, height: BOX_H, rx: 6 }),
    svg('text', { x: 12, y: 21 }, `+ ${fmtInt(o.count)} more`)));
  }
  return g;
}

// nodeBox is the box of a site node.
function nodeBox(n, b, focus) {
  const label = n.name.length > 24 ? n.name.slice(0, 23) + '…' : n.name;
  const a = svg('a', { href: nodeHref(n.id), cls: `box type-${n.type}${focus ? ' focus' : ''}${n.status ? ' status-' + n.status : ''}`,
    transform: `translate(${b.x},${b.y})`, 'data-id': n.id },
  svg('title', {}, `${n.id}${n.materialized ? ' (' + n.materialized + ')' : ''}`),
  svg('rect', { width: BOX_W, height: BOX_H, rx: 6 }),
  svg('rect', { cls: 'stripe', width: 5, height: BOX_H, rx: 2 }),
  svg('text', { x: 14, y: 21 }, label));
  return a;
}

// lineagePanel is the lineage section of a node's page. params holds up,
// down and filter from the address.
function lineagePanel(n, params) {
  const state = { up: depthParam(params.get('up'), 2), down: depthParam(params.get('down'), 2),
    filter: params.get('filter') || '', caps: new Map() };
  const body = el('div', { cls: 'graph-wrap' }), note = el('p', { cls: 'graph-note' });
  const depthSelect = (key, title) => el('label', {}, title + ' ',
    el('select', { 'data-depth': key, onchange: (e) => { state[key] = Number(e.target.value); state.caps.clear(); redraw(); } },
      [0, 1, 2, 3, 4, 5, 8, -1].map((d) => el('option', { value: d, selected: d === state[key] }, d < 0 ? 'all' : String(d)))));
  const filter = el('input', { type: 'text', cls: 'filter', value: state.filter, placeholder: 'filter: tag:finance, resource_type:model, config.materialized:table …',
    'aria-label': 'Filter with a selector', spellcheck: 'false' });
  const form = el('form', { cls: 'controls', onsubmit: (e) => { e.preventDefault(); state.filter = filter.value.trim(); state.caps.clear(); redraw(); } },
    depthSelect('up', 'Upstream'), depthSelect('down', 'Downstream'), filter, el('button', { type: 'submit' }, 'Filter'));
  const redraw = () => {
    try {
      const { graph, focusAt } = drawLineage(n, state, note, redraw);
      body.replaceChildren(graph);
      centreOn(body, focusAt);
    } catch (err) {
      body.replaceChildren(el('p', { cls: 'error' }, err.message));
      note.replaceChildren();
    }
    const q = new URLSearchParams();
    if (state.up !== 2) q.set('up', state.up);
    if (state.down !== 2) q.set('down', state.down);
    if (state.filter) q.set('filter', state.filter);
    history.replaceState(null, '', nodeHref(n.id, q.toString()));
  };
  const section = el('section', { cls: 'lineage' }, el('h2', {}, 'Lineage'), form, body, note);
  redraw();
  return section;
}

// centreOn scrolls the drawing so that the box at (x, y) is in its middle
// (the focus sits halfway down columns of hundreds).
function centreOn(wrap, at) {
  if (!at) return;
  requestAnimationFrame(() => {
    wrap.scrollTop = Math.max(0, at.y + BOX_H / 2 - wrap.clientHeight / 2);
    wrap.scrollLeft = Math.max(0, at.x + BOX_W / 2 - wrap.clientWidth / 2);
  });
}

function depthParam(v, dflt) {
  if (v === null || v === '') return dflt;
  const d = v === 'all' ? -1 : Number(v);
  return Number.isInteger(d) && d >= -1 ? d : dflt;
}

function drawLineage(n, state, note, redraw) {
  const hood = neighbourhood(n.i, state.up, state.down);
  let shown = new Set(hood.keys());
  if (state.filter) {
    const sel = new Set(selectIds(state.filter, ''));
    shown = new Set([...shown].filter((i) => i === n.i || sel.has(i)));
  }
  const edges = state.filter ? visibleEdges(shown, hood) : directEdges(shown);
  const lay = layout([...shown], edges, {
    focus: n.i, label: (i) => M.nodes[i].name, priority: (i) => Math.abs(hood.get(i)),
    caps: (r) => state.caps.get(r) || COLUMN_CAP,
  });
  const hidden = shown.size - lay.boxes.size;
  note.replaceChildren(`${fmtInt(lay.boxes.size)} of ${fmtInt(shown.size)} nodes drawn`,
    hidden ? ` (${fmtInt(hidden)} in columns cut short: click “more” to draw them)` : '',
    state.filter ? `; filtered by ${state.filter}, dashed lines pass through hidden nodes` : '', '. ',
    el('a', { href: '#/lineage?select=' + encodeURIComponent(lineageSelector(n, state)) }, 'Open in the lineage explorer'));
  const graph = drawGraph(lay, {
    label: 'Lineage of ' + n.name,
    box: (i, b) => nodeBox(M.nodes[i], b, i === n.i),
    more: (r) => { state.caps.set(r, (state.caps.get(r) || COLUMN_CAP) + MORE_STEP); redraw(); },
  });
  return { graph, focusAt: lay.boxes.get(n.i) };
}

// lineageSelector is the selector of a node's neighbourhood, for the
// explorer.
function lineageSelector(n, s) {
  const up = s.up === 0 ? '' : s.up < 0 ? '+' : s.up + '+', down = s.down === 0 ? '' : s.down < 0 ? '+' : '+' + s.down;
  return up + 'unique_id:' + n.id + down;
}
