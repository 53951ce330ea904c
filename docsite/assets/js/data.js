// data.js: data/index.js decoded into node objects, the graph's edges in
// both directions, and the lazily loaded details of nodes and tests.

const EXT = { seed: '.csv' };

// decodeIndex turns the rows of data/index.js into node objects. Values
// shared by many nodes (tag lists, FQN prefixes, configs) stay shared: at
// 10,000 models the decoding is a good part of the first paint.
function decodeIndex(d) {
  M.idx = d;
  const tagsets = d.tagsets.map((ts) => ts.map((k) => d.tags[k]));
  const layers = d.dirs.map((dir) => dir ? dir.split('/').slice(0, 2).join('/') : '(root)');
  const nodes = new Array(d.nodes.length);
  for (let i = 0; i < d.nodes.length; i++) {
    const [name, t, p, dir, file, fqn, tagset, config, shard, status, parents, extra] = d.nodes[i];
    const type = d.types[t], pkg = d.packages[p], folder = d.dirs[dir], x = extra || {};
    const base = file === 0 ? name + (EXT[type] || '.sql') : file;
    const src = x.src || '';
    const cfg = d.configs[config];
    nodes[i] = {
      i, name, type, pkg, dir: folder, dirIndex: dir,
      path: folder ? folder + '/' + base : base,
      fqnPrefix: d.fqns[fqn], fqnWhole: x.fqn || null,
      tags: tagsets[tagset], config: cfg, shard, status: d.statuses[status], parents, children: [], src,
      id: x.id || (type === 'source' ? `source.${pkg}.${src}.${name}` : `${type}.${pkg}.${name}`),
      materialized: typeof cfg.materialized === 'string' ? cfg.materialized : '',
      layer: type === 'source' ? 'source:' + src : layers[dir],
    };
  }
  for (const n of nodes) for (const p of n.parents) nodes[p].children.push(n.i);
  M.nodes = nodes;
  M.byId = new Map(nodes.map((n) => [n.id, n]));
  prepareSearchNames();
}

// fqnOf is a node's FQN.
function fqnOf(n) {
  return n.fqnWhole || n.fqnPrefix.concat([n.name]);
}

// detailOf resolves to the node's page data (data/n/<shard>.js).
async function detailOf(n) {
  if (!M.details.has(n.id)) await loadScript('data/n/' + n.shard + '.js');
  const d = M.details.get(n.id);
  if (!d) throw new Error('no details for ' + n.id + ' in data/n/' + n.shard + '.js');
  return d;
}

// testDetailOf resolves to a test's page data, or null when there is no
// such test. Its shard is FNV-1a of the unique id (site.testShard in Go).
async function testDetailOf(id) {
  if (!M.idx.test_shards) return null;
  if (!M.testDetails.has(id)) await loadScript('data/t/' + testShard(id) + '.js');
  return M.testDetails.get(id) || null;
}

function testShard(id) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(id)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % M.idx.test_shards;
}

// loadSearchData loads data/search.js once, after the first paint.
function loadSearchData() {
  return loadScript('data/search.js');
}
