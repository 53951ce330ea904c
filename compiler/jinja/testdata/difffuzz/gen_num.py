#!/usr/bin/env python3
"""Numbers and slices: float printing (str/repr of Python floats), int/float
arithmetic, range() and slicing with every start/stop/step combination.
usage: gen_num.py OUT.json [--seed N]"""
import json
import random
import sys

from gen import render, jinja2


def main():
    seed = 4800
    if "--seed" in sys.argv:
        seed = int(sys.argv[sys.argv.index("--seed") + 1])
    r = random.Random(seed)
    tpls = []
    for _ in range(600):
        a = r.choice([str(r.randint(-1000, 1000)), "%.*f" % (r.randint(0, 6), r.uniform(-1e4, 1e4)),
                      "%de%d" % (r.randint(1, 9), r.randint(-20, 25)), str(r.randint(1, 10 ** 15))])
        b = r.choice([str(r.randint(1, 97)), "%.*f" % (r.randint(1, 4), r.uniform(0.01, 100)), "3", "7", "0.1"])
        op = r.choice(["/", "*", "+", "-", "//", "%", "**" if len(b) < 3 else "*"])
        tpls.append("{{ %s %s %s }}" % (a, op, b))
        tpls.append("{{ [%s %s %s] }}" % (a, op, b))
        tpls.append("{{ (%s %s %s)|round(%d) }}" % (a, op, b, r.randint(0, 4)))
        tpls.append("{{ (%s)|string }}|{{ (%s)|int }}|{{ (%s)|float }}" % (a, a, a))
    vals = ["None"] + [str(i) for i in range(-6, 7)]
    for _ in range(400):
        s, e, st = r.choice(vals), r.choice(vals), r.choice(vals)
        if st == "0":
            st = "None"
        sl = ":".join(x if x != "None" else "" for x in (s, e, st))
        tpls.append("{{ [0, 1, 2, 3, 4][%s] }}|{{ 'abcde'[%s] }}" % (sl, sl))
        tpls.append("{{ range(%s, %s, %s)|list }}" % (r.randint(-5, 5), r.randint(-5, 10), r.choice([1, 2, -1, -2, 3])))
    seen, cases = set(), []
    for t in tpls:
        if t not in seen:
            seen.add(t)
            cases.append(render(t))
    json.dump({"generator": "Jinja2 %s (gen_num.py)" % jinja2.__version__, "cases": cases},
              open(sys.argv[1], "w"), indent=1, ensure_ascii=False)
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
