// layout.js: a layered drawing of a small directed graph, left to right.
// Nodes go in columns by rank; with a focus, ancestors are ranked by
// their longest path to it and descendants by their longest path from it,
// so the focus sits in column 0; without one, ranks are longest paths
// from the roots (edges that close a cycle are ignored). A column holds at
// most caps(rank) nodes, the others counted in an overflow; order within a
// column comes from barycenter sweeps, which keeps crossings few.

const BOX_W = 190, BOX_H = 34, COL_GAP = 60, ROW_GAP = 12, PAD = 16;

// layout(ids, edges, opts): ids are node keys, edges [from, to] pairs of
// keys, opts {focus, caps(rank) -> n, priority(key) -> number (lower kept
// first), label(key) -> string}. Returns {boxes: Map key -> {x, y, rank},
// overflow: Map rank -> {count, x, y}, edges (those between kept boxes),
// width, height}. Inside, nodes are numbered 0..n-1: a neighbourhood of
// thousands is ranked in a few milliseconds.
function layout(ids, edges, opts) {
  const n = ids.length, at = new Map(ids.map((k, i) => [k, i]));
  const out = Array.from({ length: n }, () => []), inn = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) { const i = at.get(a), j = at.get(b); out[i].push(j); inn[j].push(i); }
  const rank = opts.focus !== undefined ? focusRanks(n, out, inn, at.get(opts.focus)) : rootRanks(n, out, inn);
  const cols = new Map();
  for (let i = 0; i < n; i++) {
    if (!cols.has(rank[i])) cols.set(rank[i], []);
    cols.get(rank[i]).push(i);
  }
  const ranks = [...cols.keys()].sort((a, b) => a - b);
  const kept = new Uint8Array(n), overflow = new Map();
  // Cut columns from the focus outwards, keeping first the nodes joined to
  // a node already kept in the column before (so what is drawn stays
  // connected), then by priority and label.
  const outwards = ranks.slice().sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  for (const r of outwards) {
    const toward = opts.focus === undefined || r > 0 ? inn : out;
    const keyed = cols.get(r).map((i) => ({ i, linked: toward[i].some((x) => kept[x]) ? 0 : 1,
      priority: opts.priority(ids[i]), label: naturalKey(opts.label(ids[i])) }));
    keyed.sort((a, b) => a.linked - b.linked || a.priority - b.priority || cmp(a.label, b.label));
    const cap = opts.caps(r);
    if (keyed.length > cap) overflow.set(r, { count: keyed.length - cap });
    cols.set(r, keyed.slice(0, cap).map((x) => x.i));
    for (const i of cols.get(r)) kept[i] = 1;
  }
  orderColumns(ranks, cols, out, inn, kept);
  const lay = place(ranks, cols, overflow, ids, rank);
  lay.edges = edges.filter(([a, b]) => kept[at.get(a)] && kept[at.get(b)]);
  return lay;
}

function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

// naturalKey makes names sort as people sort them (m_2 before m_10) when
// compared as strings: numbers are padded to 12 digits.
function naturalKey(s) {
  return s.replace(/\d+/g, (d) => d.padStart(12, '0'));
}

// topoOrder is a topological order of 0..n-1 (Kahn), with the nodes left
// on cycles appended in order.
function topoOrder(n, out, inn) {
  const deg = Int32Array.from(inn, (ps) => ps.length), order = [];
  for (let i = 0; i < n; i++) if (!deg[i]) order.push(i);
  for (let q = 0; q < order.length; q++) {
    for (const c of out[order[q]]) if (--deg[c] === 0) order.push(c);
  }
  if (order.length < n) {
    const seen = new Uint8Array(n);
    for (const i of order) seen[i] = 1;
    for (let i = 0; i < n; i++) if (!seen[i]) order.push(i);
  }
  return order;
}

function positions(order) {
  const pos = new Int32Array(order.length);
  order.forEach((i, k) => { pos[i] = k; });
  return pos;
}

function rootRanks(n, out, inn) {
  const order = topoOrder(n, out, inn), pos = positions(order), rank = new Int32Array(n);
  for (const i of order) {
    for (const p of inn[i]) if (pos[p] < pos[i]) rank[i] = Math.max(rank[i], rank[p] + 1);
  }
  return rank;
}

// focusRanks puts the focus in column 0, each ancestor one left of its
// leftmost child and each descendant one right of its rightmost parent.
function focusRanks(n, out, inn, focus) {
  const order = topoOrder(n, out, inn), pos = positions(order), rank = new Int32Array(n);
  const set = new Uint8Array(n), fp = pos[focus];
  set[focus] = 1;
  for (let k = fp - 1; k >= 0; k--) {
    const i = order[k];
    for (const c of out[i]) {
      if (set[c] && rank[c] <= 0 && pos[c] > k && (!set[i] || rank[c] - 1 < rank[i])) { rank[i] = rank[c] - 1; set[i] = 1; }
    }
  }
  for (let k = fp + 1; k < order.length; k++) {
    const i = order[k];
    for (const p of inn[i]) {
      if (set[p] && rank[p] >= 0 && pos[p] < k && (!set[i] || rank[p] + 1 > rank[i])) { rank[i] = rank[p] + 1; set[i] = 1; }
    }
  }
  return rank; // a node neither above nor below the focus stays in column 0 (cannot happen in a neighbourhood)
}

// orderColumns sorts each column by the mean position of its neighbours in
// the previous column, sweeping right, then left, twice.
function orderColumns(ranks, cols, out, inn, kept) {
  const pos = new Map();
  const index = (r) => cols.get(r).forEach((i, k) => pos.set(i, k));
  ranks.forEach(index);
  const sweep = (list, nbrs) => {
    for (const r of list) {
      const col = cols.get(r), bary = new Map();
      for (const i of col) {
        const ns = nbrs[i].filter((x) => kept[x]);
        bary.set(i, ns.length ? ns.reduce((s, x) => s + pos.get(x), 0) / ns.length : pos.get(i));
      }
      col.sort((a, b) => bary.get(a) - bary.get(b));
      index(r);
    }
  };
  const rev = ranks.slice().reverse();
  for (let i = 0; i < 2; i++) { sweep(ranks.slice(1), inn); sweep(rev.slice(1), out); }
}

// place gives each kept node (numbered) its box, keyed by its id.
function place(ranks, cols, overflow, ids, rank) {
  const rows = (r) => cols.get(r).length + (overflow.has(r) ? 1 : 0);
  const tallest = Math.max(1, ...ranks.map(rows));
  const boxes = new Map(), step = BOX_H + ROW_GAP;
  ranks.forEach((r, ci) => {
    const x = PAD + ci * (BOX_W + COL_GAP);
    let y = PAD + (tallest - rows(r)) * step / 2;
    for (const i of cols.get(r)) { boxes.set(ids[i], { x, y, rank: rank[i] }); y += step; }
    if (overflow.has(r)) Object.assign(overflow.get(r), { x, y });
  });
  return {
    boxes, overflow,
    width: PAD * 2 + Math.max(0, ranks.length * (BOX_W + COL_GAP) - COL_GAP),
    height: PAD * 2 + tallest * step - ROW_GAP,
  };
}
