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
// width, height}.
function layout(ids, edges, opts) {
  const out = new Map(ids.map((k) => [k, []])), inn = new Map(ids.map((k) => [k, []]));
  for (const [a, b] of edges) { out.get(a).push(b); inn.get(b).push(a); }
  const rank = opts.focus !== undefined ? focusRanks(ids, out, inn, opts.focus) : rootRanks(ids, out, inn);
  const cols = new Map();
  for (const k of ids) {
    const r = rank.get(k);
    if (!cols.has(r)) cols.set(r, []);
    cols.get(r).push(k);
  }
  const ranks = [...cols.keys()].sort((a, b) => a - b);
  const kept = new Set(), overflow = new Map();
  // Cut columns from the focus outwards, keeping first the nodes joined to
  // a node already kept in the column before (so what is drawn stays
  // connected), then by priority and label.
  const outwards = ranks.slice().sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  for (const r of outwards) {
    const toward = opts.focus === undefined ? inn : r < 0 ? out : inn;
    const linked = (k) => (toward.get(k).some((x) => kept.has(x)) ? 0 : 1);
    const col = cols.get(r).sort((a, b) => linked(a) - linked(b) || opts.priority(a) - opts.priority(b) ||
      LABELS.compare(opts.label(a), opts.label(b)));
    const cap = opts.caps(r);
    if (col.length > cap) overflow.set(r, { count: col.length - cap });
    cols.set(r, col.slice(0, cap));
    for (const k of cols.get(r)) kept.add(k);
  }
  orderColumns(ranks, cols, out, inn, kept);
  return place(ranks, cols, overflow, edges.filter(([a, b]) => kept.has(a) && kept.has(b)), rank);
}

function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

// LABELS orders names as people do: m_2 before m_10.
const LABELS = new Intl.Collator('en', { numeric: true });

// topoOrder is a topological order of ids (Kahn), with the nodes left on
// cycles appended in input order.
function topoOrder(ids, out, inn) {
  const deg = new Map(ids.map((k) => [k, inn.get(k).length]));
  const queue = ids.filter((k) => deg.get(k) === 0), order = [];
  for (let q = 0; q < queue.length; q++) {
    const k = queue[q];
    order.push(k);
    for (const c of out.get(k)) { deg.set(c, deg.get(c) - 1); if (deg.get(c) === 0) queue.push(c); }
  }
  if (order.length < ids.length) { const seen = new Set(order); for (const k of ids) if (!seen.has(k)) order.push(k); }
  return order;
}

function rootRanks(ids, out, inn) {
  const order = topoOrder(ids, out, inn), pos = new Map(order.map((k, i) => [k, i])), rank = new Map();
  for (const k of order) {
    let r = 0;
    for (const p of inn.get(k)) if (pos.get(p) < pos.get(k)) r = Math.max(r, rank.get(p) + 1);
    rank.set(k, r);
  }
  return rank;
}

function focusRanks(ids, out, inn, focus) {
  const order = topoOrder(ids, out, inn), pos = new Map(order.map((k, i) => [k, i])), rank = new Map([[focus, 0]]);
  const fp = pos.get(focus);
  for (let i = fp - 1; i >= 0; i--) { // ancestors: one left of their leftmost child
    const k = order[i];
    let r = null;
    for (const c of out.get(k)) if (rank.has(c) && rank.get(c) <= 0 && pos.get(c) > i) r = r === null ? rank.get(c) - 1 : Math.min(r, rank.get(c) - 1);
    if (r !== null) rank.set(k, r);
  }
  for (let i = fp + 1; i < order.length; i++) { // descendants: one right of their rightmost parent
    const k = order[i];
    let r = null;
    for (const p of inn.get(k)) if (rank.has(p) && rank.get(p) >= 0 && pos.get(p) < i) r = r === null ? rank.get(p) + 1 : Math.max(r, rank.get(p) + 1);
    if (r !== null) rank.set(k, r);
  }
  for (const k of ids) if (!rank.has(k)) rank.set(k, 0); // unconnected (cannot happen in a neighbourhood)
  return rank;
}

// orderColumns sorts each column by the mean position of its neighbours in
// the previous column, sweeping right, then left, twice.
function orderColumns(ranks, cols, out, inn, kept) {
  const pos = new Map();
  const index = (r) => cols.get(r).forEach((k, i) => pos.set(k, i));
  ranks.forEach(index);
  const sweep = (list, nbrs) => {
    for (const r of list) {
      const col = cols.get(r), bary = new Map();
      for (const k of col) {
        const ns = nbrs.get(k).filter((x) => kept.has(x) && pos.has(x));
        bary.set(k, ns.length ? ns.reduce((s, x) => s + pos.get(x), 0) / ns.length : pos.get(k));
      }
      col.sort((a, b) => bary.get(a) - bary.get(b));
      index(r);
    }
  };
  const rev = ranks.slice().reverse();
  for (let i = 0; i < 2; i++) { sweep(ranks.slice(1), inn); sweep(rev.slice(1), out); }
}

function place(ranks, cols, overflow, edges, rank) {
  const rows = (r) => cols.get(r).length + (overflow.has(r) ? 1 : 0);
  const tallest = Math.max(1, ...ranks.map(rows));
  const boxes = new Map(), step = BOX_H + ROW_GAP;
  ranks.forEach((r, ci) => {
    const x = PAD + ci * (BOX_W + COL_GAP);
    let y = PAD + (tallest - rows(r)) * step / 2;
    for (const k of cols.get(r)) { boxes.set(k, { x, y, rank: rank.get(k) }); y += step; }
    if (overflow.has(r)) Object.assign(overflow.get(r), { x, y });
  });
  return {
    boxes, overflow, edges,
    width: PAD * 2 + Math.max(0, ranks.length * (BOX_W + COL_GAP) - COL_GAP),
    height: PAD * 2 + tallest * step - ROW_GAP,
  };
}
