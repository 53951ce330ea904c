// selector.js: the CLI's selection syntax (compiler/selector), evaluated
// over the site's nodes: names and FQNs with wildcards, path:, file:, tag:,
// config.<key>:, source:, resource_type:, package:, unique_id:, group:,
// access:, result: (the last run), graph operators +m, m+, 2+m, m+1, @m;
// space is union, comma intersection. Tests are not drawn, so test_type:
// and unit_test: select nothing here; state: needs a previous manifest and
// is refused. A parity test checks it against the Go package.

class SelectorError extends Error {
  constructor(expr, offset, msg) {
    super(`selector "${expr}": ${msg} (at column ${offset + 1})`);
    this.offset = offset;
  }
}

const METHODS = ['access', 'config', 'file', 'fqn', 'group', 'package', 'path', 'resource_type', 'result',
  'source', 'state', 'tag', 'test_type', 'unique_id', 'unit_test'];
const RESOURCE_TYPES = ['analysis', 'doc', 'exposure', 'fixture', 'group', 'macro', 'metric', 'model', 'operation',
  'rpc', 'saved_query', 'seed', 'semantic_model', 'snapshot', 'source', 'sql_operation', 'test', 'unit_test'];
const isSpace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
const isWordCh = (c) => /^[0-9A-Za-z_]$/.test(c);

// parseSelector returns a union (array) of intersections (arrays of atoms).
function parseSelector(expr) {
  const terms = [];
  let pendingComma = false, i = 0;
  for (;;) {
    while (i < expr.length && isSpace(expr[i])) i++;
    if (i === expr.length) break;
    if (expr[i] === ',') {
      if (pendingComma) throw new SelectorError(expr, i, 'expected a selector after ","');
      if (!terms.length) throw new SelectorError(expr, i, 'expected a selector before ","');
      pendingComma = true;
      i++;
      continue;
    }
    const start = i;
    while (i < expr.length && !isSpace(expr[i]) && expr[i] !== ',') i++;
    const a = parseAtom(expr, start, i);
    if (pendingComma) terms[terms.length - 1].push(a);
    else terms.push([a]);
    pendingComma = false;
  }
  if (pendingComma) throw new SelectorError(expr, expr.length, 'expected a selector after ","');
  if (!terms.length) throw new SelectorError(expr, expr.length, 'expected a selector');
  return terms;
}

function parseAtom(expr, start, end) {
  const tok = expr.slice(start, end);
  const fail = (at, msg) => new SelectorError(expr, start + at, msg);
  const a = { at: start, cp: false, parents: false, pdepth: -1, method: '', args: [], value: '', children: false, cdepth: -1 };
  let i = 0;
  if (tok[0] === '@') { a.cp = true; i = 1; }
  let j = i;
  while (j < tok.length && tok[j] >= '0' && tok[j] <= '9') j++;
  if (tok[j] === '+') {
    a.parents = true;
    if (j > i) a.pdepth = Number(tok.slice(i, j));
    i = j + 1;
  }
  j = i;
  while (j < tok.length && (isWordCh(tok[j]) || tok[j] === '.')) j++;
  if (j > i && tok[j] === ':') {
    const parts = tok.slice(i, j).split('.');
    if (!METHODS.includes(parts[0])) throw fail(i, `unknown selector method "${parts[0]}"; valid methods: ${METHODS.join(', ')}`);
    if (parts[0] === 'state') throw fail(i, 'state: compares with the manifest of a previous run, which the docs site does not have; use mart ls --select');
    if (parts.length > 1 && parts[0] !== 'config') throw fail(i + parts[0].length, `method "${parts[0]}" takes no ".<argument>" (only config.<key> does)`);
    if (parts[0] === 'config' && (parts.length < 2 || parts.slice(1).some((p) => !p))) throw fail(i + 6, 'expected a key after "config": config.<key>:<value>');
    a.method = parts[0];
    a.args = parts.slice(1);
    i = j + 1;
  }
  let rest = tok.slice(i);
  const k = rest.lastIndexOf('+');
  if (k >= 0 && /^[0-9]*$/.test(rest.slice(k + 1))) {
    if (a.cp) throw fail(i + k, 'the "@" prefix and a "+" suffix cannot be combined (write "@x" or "x+", not "@x+")');
    a.children = true;
    if (k + 1 < rest.length) a.cdepth = Number(rest.slice(k + 1));
    rest = rest.slice(0, k);
  }
  a.value = rest;
  if (!rest) throw fail(i, a.method ? `expected a value after "${tok.slice(0, i)}"` : `expected a selector after "${tok.slice(0, i)}"`);
  checkValue(a, (msg) => fail(i, msg));
  return a;
}

function checkValue(a, fail) {
  const v = a.value;
  if ((a.method === 'path' || (!a.method && v.includes('/'))) && v.startsWith('/')) {
    throw fail('expected a path relative to the project root, got an absolute path');
  }
  if (a.method === 'resource_type' && !RESOURCE_TYPES.includes(v)) {
    throw fail(`unknown resource type "${v}"; expected one of: ${RESOURCE_TYPES.join(', ')}`);
  }
  if (a.method === 'result' && !M.idx.run) throw fail('result: reads the last run, and no run_results.json was found when the site was generated');
  const dotted = { source: 3, unit_test: 2 }[a.method];
  if (dotted && (v.split('.').length > dotted || v.split('.').some((p) => !p))) {
    throw fail(`expected at most ${dotted} non-empty dotted parts`);
  }
}

// selectIds returns the positions of the nodes include selects (all when
// empty) minus those exclude selects, ascending.
function selectIds(include, exclude) {
  const n = M.nodes.length;
  let sel;
  if (include.trim()) sel = evalUnion(parseSelector(include));
  else sel = new Uint8Array(n).fill(1);
  if (exclude.trim()) {
    const ex = evalUnion(parseSelector(exclude));
    for (let i = 0; i < n; i++) if (ex[i]) sel[i] = 0;
  }
  const out = [];
  for (let i = 0; i < n; i++) if (sel[i]) out.push(i);
  return out;
}

function evalUnion(terms) {
  const out = new Uint8Array(M.nodes.length);
  for (const t of terms) {
    const s = evalIntersection(t);
    for (let i = 0; i < s.length; i++) if (s[i]) out[i] = 1;
  }
  return out;
}

function evalIntersection(atoms) {
  const s = evalAtom(atoms[0]);
  for (const a of atoms.slice(1)) {
    if (a.cp || a.parents || a.children) {
      const o = evalAtom(a);
      for (let i = 0; i < s.length; i++) s[i] &= o[i];
    } else {
      const m = matcher(a);
      for (let i = 0; i < s.length; i++) if (s[i] && m && !m(M.nodes[i])) s[i] = 0;
    }
  }
  return s;
}

function evalAtom(a) {
  const n = M.nodes.length, m = matcher(a), matched = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (!m || m(M.nodes[i])) matched[i] = 1;
  if (!(a.cp || a.parents || a.children)) return matched;
  const out = matched.slice();
  const or = (s) => { for (let i = 0; i < n; i++) if (s[i]) out[i] = 1; };
  if (a.cp) or(walk(withTestParents(walk(matched, 'children', -1)), 'parents', -1));
  if (a.parents) or(walk(matched, 'parents', a.pdepth));
  if (a.children) or(walk(matched, 'children', a.cdepth));
  return out;
}

// walk returns seeds plus every node reachable along dir ('parents' or
// 'children') within depth steps (-1: any).
function walk(seeds, dir, depth) {
  const out = seeds.slice();
  let frontier = [];
  for (let i = 0; i < seeds.length; i++) if (seeds[i]) frontier.push(i);
  for (let d = 0; frontier.length && (depth < 0 || d < depth); d++) {
    const next = [];
    for (const i of frontier) {
      for (const j of M.nodes[i][dir]) if (!out[j]) { out[j] = 1; next.push(j); }
    }
    frontier = next;
  }
  return out;
}

// withTestParents adds to s the other parents of the tests that read a
// node of s. Tests are not nodes here, but in the CLI's graph the @
// operator walks down to a test and up to every node it reads
// (test_parents lists the tests that read several nodes).
function withTestParents(s) {
  const out = s.slice();
  for (const g of M.idx.test_parents || []) {
    if (g.some((p) => s[p])) for (const p of g) out[p] = 1;
  }
  return out;
}
