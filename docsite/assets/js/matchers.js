// matchers.js: what each selector method matches, as compiler/selector's
// methods.go and config.go define it.

// matcher returns a test of one node for an atom, or null for "*" (all).
function matcher(a) {
  const v = a.value;
  switch (a.method) {
    case 'fqn': return fqnMatcher(v);
    case 'path': return pathMatcher(v);
    case 'file': return fileMatcher(v);
    case 'tag': { const g = compileGlob(v); return (n) => n.tags.some((t) => g.match(t)); }
    case 'config': return configMatcher(a.args, v);
    case 'source': return sourceMatcher(v);
    case 'resource_type': return (n) => n.type === v;
    case 'package': { const g = compileGlob(v); return (n) => g.match(n.pkg); }
    case 'unique_id': { const g = compileGlob(v); return (n) => g.match(n.id); }
    case 'group': { const g = compileGlob(v); return (n) => typeof n.config.group === 'string' && g.match(n.config.group); }
    case 'access': return (n) => n.type === 'model' && (typeof n.config.access === 'string' ? n.config.access : 'protected') === v;
    case 'result': return (n) => n.status === v;
    case 'test_type': case 'unit_test': return () => false; // tests are not nodes here
  }
  if (v === '*') return null;
  if (v.includes('/')) return pathMatcher(v);
  if (/\.(sql|py|csv)$/.test(v)) return fileMatcher(v);
  return fqnMatcher(v);
}

const flatFQN = (fqn) => fqn.flatMap((s) => s.split('.'));

function fqnMatcher(value) {
  const name = compileGlob(value);
  const parts = value.split('.').map(compileGlob);
  return (n) => {
    if (n.type === 'source') return false;
    const fqn = fqnOf(n);
    if (name.match(n.name) || (fqn.length && name.match(fqn[fqn.length - 1]))) return true;
    const f = flatFQN(fqn);
    if (fqnPrefix(f, parts)) return true;
    if (!fqn.length) return false;
    const skip = fqn[0].split('.').length;
    return skip <= f.length && fqnPrefix(f.slice(skip), parts);
  };
}

function fqnPrefix(fqn, parts) {
  if (parts.length > fqn.length) return false;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].pat === '*') return true;
    if (!parts[i].match(fqn[i])) return false;
  }
  return true;
}

function pathMatcher(value) {
  const p = cleanPath(value);
  if (p === '.') return null;
  if (!compileGlob(p).meta) return (n) => n.path === p || (n.path.length > p.length && n.path[p.length] === '/' && n.path.startsWith(p));
  const segs = [];
  for (const s of p.split('/')) {
    if (s !== '**' || !segs.length || segs[segs.length - 1].pat !== '**') segs.push(compileGlob(s));
  }
  return (n) => n.path !== '' && pathPrefix(segs, n.path.split('/'));
}

function pathPrefix(pats, ps) {
  if (!pats.length) return true;
  if (pats[0].pat === '**') {
    for (let k = 0; k <= ps.length; k++) if (pathPrefix(pats.slice(1), ps.slice(k))) return true;
    return false;
  }
  return ps.length > 0 && pats[0].match(ps[0]) && pathPrefix(pats.slice(1), ps.slice(1));
}

// cleanPath is Go's path.Clean: no empty, "." or resolvable ".." parts.
function cleanPath(p) {
  const rooted = p.startsWith('/');
  const out = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (s !== '..' || !rooted) out.push(s);
  }
  const c = (rooted ? '/' : '') + out.join('/');
  return c || (rooted ? '/' : '.');
}

function fileMatcher(value) {
  const g = compileGlob(value);
  return (n) => {
    if (!n.path) return false;
    const base = n.path.slice(n.path.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    return g.match(base) || g.match(dot >= 0 ? base.slice(0, dot) : base);
  };
}

function sourceMatcher(value) {
  const parts = value.split('.');
  let [pkg, src, table] = ['*', parts[0], '*'];
  if (parts.length === 2) table = parts[1];
  if (parts.length === 3) [pkg, src, table] = parts;
  const [gp, gs, gt] = [pkg, src, table].map(compileGlob);
  return (n) => n.type === 'source' && gp.match(n.pkg) && gs.match(n.src) && gt.match(n.name);
}

// configMatcher compares config values by their string form; a list
// matches when an element does; severity compares without case.
function configMatcher(keys, want) {
  const fold = keys.length === 1 && keys[0] === 'severity';
  return (n) => {
    let cur = n.config;
    for (const k of keys) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !(k in cur)) return false;
      cur = cur[k];
    }
    return Array.isArray(cur) ? cur.some((e) => scalarMatches(e, want, fold)) : scalarMatches(cur, want, fold);
  };
}

const GO_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function scalarMatches(v, want, fold) {
  if (v === null || typeof v === 'object') return false;
  if (typeof v === 'string') return fold ? v.toLowerCase() === want.toLowerCase() : v === want;
  if (typeof v === 'boolean') return want.toLowerCase() === String(v);
  if (typeof v === 'number') return GO_FLOAT.test(want) && Number(want) === v;
  return String(v) === want;
}
