#!/usr/bin/env python3
"""Structural fuzz: random nestings of blocks, text with spaces and newlines,
and whitespace control (-, +) on every tag, as dbt SQL models are written.
usage: gen_ws.py OUT.json [--seed N] [--count N]"""
import json
import random
import sys

from gen import render, jinja2

NOSCOPE = "--noscope" in sys.argv
TEXTS = ["", " ", "\n", "  \n", "\n  ", "select", " a ", "\n\n", "x\n", "\n    y", "\t", " , "]


def ws(r):
    return r.choice(["", "", "-", "+"]) if r.random() < 0.6 else ""


def tag(r, body):
    return "{%" + ws(r) + " " + body + " " + ws(r).replace("+", "") + "%}"


def expr_tag(r, e):
    return "{{" + ws(r).replace("+", "") + " " + e + " " + ws(r).replace("+", "") + "}}"


def block(r, depth):
    k = r.random()
    t = lambda: r.choice(TEXTS)
    if depth > 2 or k < 0.3:
        c = r.random()
        if c < 0.5:
            return t()
        if c < 0.8:
            return expr_tag(r, r.choice(["1", "'v'", "x", "loop.index if loop is defined else 0", "none", "[1]"]))
        return "{#" + r.choice(["", "-"]) + " c " + r.choice(["", "-"]) + "#}"
    inner = lambda: "".join(block(r, depth + 1) for _ in range(r.randint(1, 3)))
    if k < 0.45:
        return tag(r, "for i in [1, 2]") + inner() + tag(r, "endfor")
    if k < 0.55:
        return tag(r, "for i in []") + inner() + tag(r, "else") + inner() + tag(r, "endfor")
    if k < 0.7:
        return tag(r, "if x") + inner() + tag(r, "elif y") + inner() + tag(r, "else") + inner() + tag(r, "endif")
    if k < 0.78:
        if depth > 0 and NOSCOPE:  # sets in nested blocks: see the scoping cases
            return t() + expr_tag(r, "x")
        return tag(r, "set x = 'X'") + t() + expr_tag(r, "x")
    if k < 0.85:
        return tag(r, "set blk") + inner() + tag(r, "endset") + t() + "[" + expr_tag(r, "blk") + "]"
    if k < 0.9:
        name = "m%d" % r.randint(0, 99)
        return tag(r, "macro %s()" % name) + inner() + tag(r, "endmacro") + t() + "<" + expr_tag(r, name + "()") + ">"
    if k < 0.95:
        return tag(r, "filter upper") + inner() + tag(r, "endfilter")
    return tag(r, "raw") + " {{ a }} \n" + tag(r, "endraw")


def main():
    seed, count = 4848, 1500
    a = sys.argv[2:]
    if "--seed" in a:
        seed = int(a[a.index("--seed") + 1])
    if "--count" in a:
        count = int(a[a.index("--count") + 1])
    r = random.Random(seed)
    seen, cases = set(), []
    for _ in range(count):
        src = "".join(block(r, 0) for _ in range(r.randint(1, 4)))
        if r.random() < 0.3:
            src = r.choice(TEXTS) + src + r.choice(["\n", "\n\n", " \n", ""])
        if src in seen:
            continue
        seen.add(src)
        cases.append(render(src))
    json.dump({"generator": "Jinja2 %s (gen_ws.py)" % jinja2.__version__, "cases": cases},
              open(sys.argv[1], "w"), indent=1, ensure_ascii=False)
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
