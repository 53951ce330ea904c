// nodepage.js: a node's page (#/node/<unique id>): what data/index.js
// knows at once (name, type, folder, tags, lineage), then its shard's
// details (description, columns, tests, SQL, config, last run, catalog
// statistics, freshness).

function nodePage(id, params) {
  const n = M.byId.get(id);
  if (!n) return testPage(id);
  document.title = n.name + ' · ' + M.idx.project;
  // what the node means and how it last went come first, its lineage
  // (drawn at once from data/index.js) next, the rest after
  const summary = el('div', { cls: 'summary' }, el('p', { cls: 'loading' }, 'Loading details…'));
  const body = el('div', { cls: 'detail' });
  setPage('node', nodeHeader(n), summary, lineagePanel(n, params), body);
  detailOf(n).then((d) => {
    summary.replaceChildren(d.description_html ? html('div', 'description', d.description_html) : el('p', { cls: 'hint' }, 'No description.'),
      facts(n, d));
    body.replaceChildren(...nodeDetails(d).filter(Boolean));
    pageReady();
  }).catch(reportError);
}

function nodeHeader(n) {
  return el('header', { cls: 'node-head' },
    el('p', { cls: 'crumbs' }, el('a', { href: '#/' }, 'Overview'), ' / ', n.dir ? el('a', { href: '#/folder/' + encodeURIComponent(n.dir) }, n.dir) : '(root)'),
    el('h1', {}, n.name, ' ', typeBadge(n.type), n.materialized && n.materialized !== n.type ? el('span', { cls: 'badge mat' }, n.materialized) : null, ' ', statusBadge(n.status)),
    el('p', { cls: 'meta' }, el('code', {}, n.id), ' · ', n.path),
    n.tags.length ? el('p', { cls: 'tags' }, n.tags.map((t) => el('a', { cls: 'tag', href: '#/lineage?select=' + encodeURIComponent('tag:' + t) }, t))) : null);
}

function nodeDetails(d) {
  return [
    columnsTable(d),
    testsList(d.tests),
    sqlSection(d),
    d.source ? sourceSection(d) : null,
    jsonSection('Config', d.config),
    d.meta && Object.keys(d.meta).length ? jsonSection('Meta', d.meta) : null,
    d.macros && d.macros.length ? el('section', {}, el('h2', {}, 'Macros used'), el('p', {}, d.macros.join(', '))) : null,
  ];
}

// facts is the table of what the node is and how it last went.
function facts(n, d) {
  const rows = [];
  const add = (k, ...v) => rows.push(el('tr', {}, el('th', {}, k), el('td', {}, ...v)));
  if (d.relation) add('Relation', el('code', {}, d.relation));
  if (d.materialized) add('Materialized', d.materialized);
  if (d.owner) add('Owner', d.owner);
  if (d.run) {
    const r = d.run;
    add('Last run', statusBadge(r.status), ' ', fmtSeconds(r.seconds), r.rows >= 0 ? ` · ${fmtInt(r.rows)} rows` : '',
      r.completed_at ? ` · ${fmtTime(r.completed_at)}` : '');
    if (r.message) add('Message', r.message);
    if (r.adapter_response) for (const k of Object.keys(r.adapter_response).sort()) add(k.replace(/_/g, ' '), String(r.adapter_response[k]));
  } else if (n.type !== 'source') add('Last run', 'not in the last run');
  if (d.stats) {
    const s = d.stats;
    add('In the warehouse', s.kind, ' ', el('code', {}, s.relation));
    if (s.rows !== undefined) add('Rows', fmtInt(s.rows));
    if (s.bytes !== undefined) add('Size', fmtBytes(s.bytes));
    if (s.modified !== undefined) add('Last modified', fmtTime(s.modified));
    if (s.comment) add('Comment', s.comment);
  }
  if (d.freshness) {
    const f = d.freshness;
    add('Freshness', statusBadge(f.status), f.max_loaded_at ? ` newest row loaded ${fmtTime(f.max_loaded_at)}` : '',
      f.max_loaded_at_time_ago_in_s ? ` (${fmtSeconds(f.max_loaded_at_time_ago_in_s)} before the check)` : '', f.error ? ' ' + f.error : '');
  }
  return el('table', { cls: 'facts' }, el('tbody', {}, rows));
}

function columnsTable(d) {
  if (!d.columns.length) return el('section', {}, el('h2', {}, 'Columns'), el('p', { cls: 'hint' }, 'No documented columns and no catalog entry.'));
  const where = { docs: 'documented, not in the warehouse', warehouse: 'in the warehouse, not documented' };
  return el('section', {}, el('h2', {}, `Columns (${d.columns.length})`), el('table', { cls: 'list columns' },
    el('thead', {}, el('tr', {}, ['Column', 'Type', 'Description', 'Tests'].map((h) => el('th', {}, h)))),
    el('tbody', {}, d.columns.map((c) => el('tr', { cls: c.where ? 'where-' + c.where : null },
      el('td', {}, el('code', {}, c.name), where[c.where] ? el('span', { cls: 'note', title: where[c.where] }, c.where === 'docs' ? ' ∅' : ' +') : null),
      el('td', {}, c.type || ''),
      el('td', {}, c.description_html ? html('div', 'description', c.description_html) : ''),
      el('td', {}, (c.tests || []).map((k) => testChip(d.tests[k]))))))));
}

function testChip(t) {
  return el('a', { cls: 'test-chip' + (t.status ? ' status-' + t.status : ''), href: nodeHref(t.id), title: t.name }, t.kind);
}

function testsList(tests) {
  if (!tests.length) return null;
  return el('section', {}, el('h2', {}, `Tests (${tests.length})`), el('table', { cls: 'list' },
    el('thead', {}, el('tr', {}, ['Test', 'Kind', 'Column', 'Last run'].map((h) => el('th', {}, h)))),
    el('tbody', {}, tests.map((t) => el('tr', {}, el('td', {}, el('a', { href: nodeHref(t.id) }, t.name)), el('td', {}, t.kind),
      el('td', {}, t.column || ''), el('td', {}, statusBadge(t.status), t.failures ? ` ${fmtInt(t.failures)} failing rows` : ''))))));
}

function sqlSection(d) {
  const blocks = [];
  if (d.compiled_html) blocks.push(el('details', { open: true }, el('summary', {}, 'Compiled SQL'), html('pre', 'chroma sql compiled', d.compiled_html)));
  if (d.raw_html) blocks.push(el('details', { open: !d.compiled_html }, el('summary', {}, 'Source'), html('pre', 'chroma sql raw', d.raw_html)));
  return blocks.length ? el('section', {}, el('h2', {}, 'Code'), blocks) : null;
}

function sourceSection(d) {
  const s = d.source;
  return el('section', {}, el('h2', {}, 'Source'), el('table', { cls: 'facts' }, el('tbody', {},
    el('tr', {}, el('th', {}, 'Source'), el('td', {}, s.name)), el('tr', {}, el('th', {}, 'Table'), el('td', {}, s.identifier)),
    s.loaded_at_field ? el('tr', {}, el('th', {}, 'Loaded at'), el('td', {}, s.loaded_at_field)) : null)),
  s.extract ? jsonSection('Extract', s.extract) : null);
}

function jsonSection(title, v) {
  return el('section', {}, el('h2', {}, title), el('pre', { cls: 'json' }, JSON.stringify(v, null, 2)));
}

async function testPage(id) {
  setPage('node', el('p', { cls: 'loading' }, 'Loading…'));
  const t = /^(test|unit_test)\./.test(id) ? await testDetailOf(id).catch(reportError) : null;
  if (!t) {
    setPage('missing', el('h1', {}, 'Not found'), el('p', {}, 'No node has the unique id ', el('code', {}, id), '. ', el('a', { href: '#/' }, 'Back to the overview')));
    pageReady();
    return;
  }
  document.title = t.name + ' · ' + M.idx.project;
  const parent = M.byId.get(t.attached);
  setPage('node', el('header', { cls: 'node-head' },
    el('p', { cls: 'crumbs' }, el('a', { href: '#/' }, 'Overview'), parent ? [' / ', el('a', { href: nodeHref(parent.id) }, parent.name)] : ''),
    el('h1', {}, t.name, ' ', typeBadge(t.type), ' ', el('span', { cls: 'badge mat' }, t.kind), ' ', statusBadge(t.run && t.run.status)),
    el('p', { cls: 'meta' }, el('code', {}, t.id), ' · ', t.path)),
  t.description_html ? html('div', 'description', t.description_html) : null,
  el('table', { cls: 'facts' }, el('tbody', {},
    el('tr', {}, el('th', {}, 'Tests'), el('td', {}, t.depends.map((p) => M.byId.get(p)).filter(Boolean).map((p) => [el('a', { href: nodeHref(p.id) }, p.name), ' ']))),
    t.column ? el('tr', {}, el('th', {}, 'Column'), el('td', {}, el('code', {}, t.column))) : null,
    t.severity ? el('tr', {}, el('th', {}, 'Severity'), el('td', {}, t.severity)) : null,
    t.run ? el('tr', {}, el('th', {}, 'Last run'), el('td', {}, statusBadge(t.run.status), ' ', fmtSeconds(t.run.seconds),
      t.run.failures ? ` · ${fmtInt(t.run.failures)} failing rows` : '', t.run.message ? ' · ' + t.run.message : '')) : null)),
  t.kwargs ? jsonSection('Arguments', t.kwargs) : null,
  t.unit ? jsonSection('Given and expected', t.unit) : null,
  sqlSection(t), jsonSection('Config', t.config));
  pageReady();
}
