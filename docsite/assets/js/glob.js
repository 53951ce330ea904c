// glob.js: shell patterns as the CLI's selectors match them (Go's
// path.Match): * is any run of characters but /, ? one character but /,
// [abc] [a-z] [^x] [!x] a class, \ escapes. A malformed pattern matches
// itself literally, as in compiler/selector.

const GLOB_META = /[*?[\\]/;

function compileGlob(pattern) {
  if (!GLOB_META.test(pattern)) return { pat: pattern, meta: false, match: (s) => s === pattern };
  const re = globRegExp(pattern.split('[!').join('[^'));
  if (!re) return { pat: pattern, meta: false, match: (s) => s === pattern };
  return { pat: pattern, meta: true, match: (s) => re.test(s) };
}

function cp(ch) {
  return '\\u{' + ch.codePointAt(0).toString(16) + '}';
}

// globRegExp translates a pattern into an anchored RegExp, or returns
// null when the pattern is malformed.
function globRegExp(p) {
  const chars = Array.from(p);
  let out = '^';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (++i >= chars.length) return null;
      out += cp(chars[i]);
    } else if (c === '[') {
      const cls = globClass(chars, i + 1);
      if (!cls) return null;
      out += cls.re;
      i = cls.end;
    } else out += cp(c);
  }
  return new RegExp(out + '$', 'u');
}

// globClass parses a class whose content starts at chars[i]; end is the
// position of its closing ].
function globClass(chars, i) {
  let neg = false;
  if (chars[i] === '^') { neg = true; i++; }
  let body = '', n = 0;
  const esc = () => { // one class character, or null
    let c = chars[i];
    if (c === undefined || c === '-' || c === ']') return null;
    if (c === '\\') { c = chars[++i]; if (c === undefined) return null; }
    i++;
    return c;
  };
  for (;;) {
    if (chars[i] === ']' && n > 0) break;
    const lo = esc();
    if (lo === null) return null;
    let hi = lo;
    if (chars[i] === '-') { i++; hi = esc(); if (hi === null) return null; }
    // a reversed range matches nothing, as in Go
    if (lo.codePointAt(0) <= hi.codePointAt(0)) body += cp(lo) + '-' + cp(hi);
    n++;
  }
  return { re: '[' + (neg ? '^' : '') + body + ']', end: i };
}
