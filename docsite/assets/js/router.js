// router.js: the address after # says what to show, so a link to
// index.html#/node/<unique id> opens that node, from file:// too.
//
//   #/                       overview
//   #/node/<id>[?up=&down=&filter=]  a node's page (tests too)
//   #/lineage[?select=&exclude=]     the lineage explorer
//   #/folder/<path>          a folder's nodes

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const path = q >= 0 ? hash.slice(0, q) : hash, params = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
  const [head, ...rest] = path.split('/');
  const arg = safeDecode(rest.join('/'));
  document.title = M.idx.project + ' · mart docs';
  window.scrollTo(0, 0);
  try {
    if (head === 'node' && arg) nodePage(arg, params);
    else if (head === 'lineage') explorerPage(params);
    else if (head === 'folder') folderPage(arg);
    else overviewPage();
  } catch (err) {
    reportError(err);
  }
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch (_) {
    return s;
  }
}

// boot runs once data/index.js has been decoded: the first page, then
// the search text in the background.
function boot() {
  wireSearch();
  window.addEventListener('hashchange', route);
  route();
  performance.mark('mart-first-page');
  const later = window.requestIdleCallback || ((f) => setTimeout(f, 50));
  later(() => loadSearchData().catch(reportError));
}
