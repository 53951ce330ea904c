// search.js: search as you type over names, unique ids, folders, tags,
// descriptions and columns. Names come with data/index.js; descriptions
// and columns with data/search.js, loaded after the first paint (until it
// arrives, search covers names, folders and tags). One linear pass over
// lowercased strings per keystroke: a few milliseconds at 10,000 models.

const S = { names: [], where: [], tags: [], desc: null, cols: null, coldesc: null };
const MAX_RESULTS = 30;

function prepareSearchNames() {
  S.names = M.nodes.map((n) => n.name.toLowerCase());
  S.where = M.nodes.map((n) => (n.id + ' ' + n.path).toLowerCase());
  S.tags = M.nodes.map((n) => n.tags.map((t) => t.toLowerCase()));
}

function prepareSearchText() {
  const rows = M.searchRows;
  S.desc = rows.map((r) => r[0].toLowerCase());
  S.cols = rows.map((r) => r[1].map((c) => c.toLowerCase()));
  S.coldesc = rows.map((r) => r[2].toLowerCase());
  const input = document.getElementById('q');
  if (input && input.value.trim()) showResults(input.value);
}

// scoreWord scores one word of the query against node i: 0 when it does
// not match; why says where it matched, for the result line.
function scoreWord(i, w) {
  const name = S.names[i];
  if (name === w) return { score: 100 };
  if (name.startsWith(w)) return { score: 80 };
  if (name.includes(w)) return { score: 60 };
  if (S.tags[i].includes(w)) return { score: 50, why: 'tag ' + w };
  if (S.cols && S.cols[i].includes(w)) return { score: 45, why: 'column ' + w };
  if (S.where[i].includes(w)) return { score: 35 };
  if (S.tags[i].some((t) => t.includes(w))) return { score: 30, why: 'tag' };
  if (S.cols) {
    const c = S.cols[i].find((x) => x.includes(w));
    if (c !== undefined) return { score: 25, why: 'column ' + c };
    if (S.desc[i].includes(w)) return { score: 15, why: 'desc' };
    if (S.coldesc[i].includes(w)) return { score: 10, why: 'column description' };
  }
  return null;
}

// search returns the best matches of every word of q, as
// [{i, score, why}], best first.
function search(q) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const hits = [];
  for (let i = 0; i < S.names.length; i++) {
    let score = 0, why = null;
    for (const w of words) {
      const s = scoreWord(i, w);
      if (!s) { score = 0; break; }
      score += s.score;
      why = why || s.why;
    }
    if (score) hits.push({ i, score, why });
  }
  hits.sort((a, b) => b.score - a.score || S.names[a.i].length - S.names[b.i].length || cmp(S.names[a.i], S.names[b.i]));
  return hits.slice(0, MAX_RESULTS);
}

// snippet is the description text around the first query word.
function snippet(i, q) {
  const text = M.searchRows[i][0];
  const w = q.toLowerCase().split(/\s+/).find((x) => x && S.desc[i].includes(x));
  const at = w ? S.desc[i].indexOf(w) : 0;
  const from = Math.max(0, at - 40);
  return (from ? '…' : '') + text.slice(from, from + 120).replace(/\s+/g, ' ') + (text.length > from + 120 ? '…' : '');
}

function showResults(q) {
  const list = document.getElementById('q-results');
  const hits = search(q);
  list.replaceChildren(...hits.map((h, k) => {
    const n = M.nodes[h.i];
    const why = h.why === 'desc' ? snippet(h.i, q) : h.why || n.path;
    return el('li', { role: 'option', id: 'q-opt-' + k, 'aria-selected': k === 0 ? 'true' : 'false' },
      el('a', { href: nodeHref(n.id), tabindex: -1 }, typeBadge(n.type), el('span', { cls: 'name' }, n.name),
        el('span', { cls: 'why' }, why)));
  }));
  if (!hits.length && q.trim()) list.appendChild(el('li', { cls: 'none' }, 'No match' + (S.desc ? '' : ' yet: descriptions and columns are still loading')));
  list.hidden = !q.trim();
  list.dataset.count = hits.length;
  performance.mark('mart-search-shown');
}

function moveActive(list, delta) {
  const opts = [...list.querySelectorAll('li[role=option]')];
  if (!opts.length) return;
  let k = opts.findIndex((o) => o.getAttribute('aria-selected') === 'true');
  k = (k + delta + opts.length) % opts.length;
  opts.forEach((o, j) => o.setAttribute('aria-selected', j === k ? 'true' : 'false'));
  opts[k].scrollIntoView({ block: 'nearest' });
}

function wireSearch() {
  const input = document.getElementById('q'), list = document.getElementById('q-results');
  input.addEventListener('input', () => showResults(input.value));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); moveActive(list, e.key === 'ArrowDown' ? 1 : -1); }
    if (e.key === 'Enter') {
      const a = list.querySelector('li[aria-selected=true] a');
      if (a) { location.hash = a.getAttribute('href'); closeSearch(); }
    }
    if (e.key === 'Escape') closeSearch();
  });
  list.addEventListener('click', (e) => { if (e.target.closest('a')) closeSearch(); });
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && document.activeElement !== input && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      e.preventDefault();
      input.focus();
    }
  });
  document.addEventListener('click', (e) => { if (!e.target.closest('.search')) list.hidden = true; });
  input.addEventListener('focus', () => { if (input.value.trim()) list.hidden = false; });
}

function closeSearch() {
  document.getElementById('q-results').hidden = true;
  document.getElementById('q').blur();
}
