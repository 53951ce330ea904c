#!/usr/bin/env python3
"""Scoping fuzz: random programs that set, append to and print a few names
across for / if / macro / call / namespace, printing every name at the end.
Sets inside {% set %}...{% endset %}, {% filter %} and for-else bodies are
left out with --known (those three leaks are already reported).
usage: gen_scope.py OUT.json [--seed N] [--count N] [--known]"""
import json
import random
import sys

from gen import render, jinja2

KNOWN = "--known" in sys.argv
NAMES = ["a", "b", "ns.v"]


def stmt(r, depth, in_loop, in_macro):
    k = r.random()
    name = r.choice(["a", "b"])
    if depth > 2 or k < 0.3:
        c = r.random()
        if c < 0.35:
            return "{%% set %s = %s %%}" % (name, r.choice(["1", "'s'", "%s ~ 'x'" % r.choice(["a", "b"]), "i if i is defined else 0", "loop.index if loop is defined else -1"]))
        if c < 0.5:
            return "{% set ns.v = ns.v ~ 'n' %}"
        if c < 0.65:
            return "{% do acc.append(" + r.choice(["a", "b", "ns.v", "i if i is defined else 'noi'"]) + ") %}"
        if c < 0.75 and in_loop:
            return r.choice(["{% break %}", "{% continue %}", "{% if loop.index > 1 %}{% break %}{% endif %}"])
        return "[{{ " + r.choice(["a", "b", "ns.v", "i if i is defined else '-'", "loop.index if loop is defined else '-'"]) + " }}]"
    body = lambda il=in_loop, im=in_macro: "".join(stmt(r, depth + 1, il, im) for _ in range(r.randint(1, 3)))
    if k < 0.5:
        v = r.choice(["i", "a"]) if r.random() < 0.3 else "i"
        cond = " if %s != 2" % v if r.random() < 0.2 else ""
        els = ("{% else %}" + body(in_loop, in_macro)) if (r.random() < 0.2 and not KNOWN) else ""
        return "{%% for %s in [1, 2, 3]%s %%}" % (v, cond) + body(True) + els + "{% endfor %}"
    if k < 0.65:
        return "{% if " + r.choice(["a", "b", "true", "false"]) + " %}" + body() + "{% else %}" + body() + "{% endif %}"
    if k < 0.8:
        m = "m%d" % r.randint(0, 999)
        return "{%% macro %s(a=5) %%}" % m + body(False, True) + "{% endmacro %}{{ " + m + "() }}"
    if k < 0.88:
        m = "c%d" % r.randint(0, 999)
        return "{%% macro %s() %%}<{{ caller() }}>{%% endmacro %%}{%% call %s() %%}" % (m, m) + body() + "{% endcall %}"
    if k < 0.94 and not KNOWN:
        return "{% set blk %}" + body() + "{% endset %}{{ blk }}"
    if not KNOWN:
        return "{% filter upper %}" + body() + "{% endfilter %}"
    return "{% if true %}" + body() + "{% endif %}"


def main():
    seed, count = 99, 2000
    a = sys.argv[2:]
    if "--seed" in a:
        seed = int(a[a.index("--seed") + 1])
    if "--count" in a:
        count = int(a[a.index("--count") + 1])
    r = random.Random(seed)
    seen, cases = set(), []
    for _ in range(count):
        src = "{% set a = 0 %}{% set acc = [] %}{% set ns = namespace(v='') %}"
        src += "".join(stmt(r, 0, False, False) for _ in range(r.randint(1, 4)))
        src += "|{{ a }}|{{ b }}|{{ ns.v }}|{{ acc }}"
        if src in seen:
            continue
        seen.add(src)
        cases.append(render(src))
    json.dump({"generator": "Jinja2 %s (gen_scope.py)" % jinja2.__version__, "cases": cases},
              open(sys.argv[1], "w"), indent=1, ensure_ascii=False)
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
