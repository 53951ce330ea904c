#!/usr/bin/env python3
"""Minimise differing cases: drop tokens (tags, expressions, text runs) while
Jinja2 and mart still disagree. mart renders through the test binary:
  go test -c -o /tmp/r48.test ./compiler/jinja
usage: minimize.py DIFFS.json OUT.json"""
import json
import re
import subprocess
import sys

from gen import render

P = subprocess.Popen(["/tmp/r48.test", "-test.run", "TestDiff48Serve"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                     env={"DIFF48_SERVE": "1", "PATH": "/usr/bin:/bin"})


def mart(src):
    P.stdin.write(json.dumps(src) + "\n")
    P.stdin.flush()
    return json.loads(P.stdout.readline())


def differs(src):
    j = render(src)
    m = mart(src)
    if "error" in j and "error" in m:
        return False
    if ("error" in j) != ("error" in m):
        return True
    return j["output"] != m["output"]


TOK = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|\n|[ \t]+|[^{\n \t]+|\{)", re.S)


def minimise(src):
    toks = TOK.findall(src)
    assert "".join(toks) == src
    changed = True
    while changed:
        changed = False
        n = len(toks) // 2
        while n >= 1:
            i = 0
            while i < len(toks):
                cand = toks[:i] + toks[i + n:]
                if cand and differs("".join(cand)):
                    toks = cand
                    changed = True
                else:
                    i += n
            n //= 2
        # simplify whitespace-control markers
        for i, t in enumerate(toks):
            for a, b in [("{%-", "{%"), ("-%}", "%}"), ("{%+", "{%"), ("{{-", "{{"), ("-}}", "}}"), ("{#-", "{#"), ("-#}", "#}")]:
                if a in t:
                    c = toks[:i] + [t.replace(a, b, 1)] + toks[i + 1:]
                    if differs("".join(c)):
                        toks = c
                        t = toks[i]
                        changed = True
    return "".join(toks)


def main():
    diffs = json.load(open(sys.argv[1]))["diffs"]
    out, seen = [], set()
    for c in diffs:
        m = minimise(c["template"])
        if m in seen:
            continue
        seen.add(m)
        j, g = render(m), mart(m)
        out.append({"template": m, "jinja": j, "mart": g, "from": c["template"]})
    json.dump(out, open(sys.argv[2], "w"), indent=1, ensure_ascii=False)
    for o in sorted(out, key=lambda o: len(o["template"])):
        print(repr(o["template"]), "\n   J:", o["jinja"], "\n   M:", o["mart"])


if __name__ == "__main__":
    main()
