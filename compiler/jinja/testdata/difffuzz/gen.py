#!/usr/bin/env python3
"""Differential generator for mart's Jinja engine (review 48).

Renders templates with Python's Jinja2 configured as dbt configures it
(dbt_common.clients.jinja.get_environment: a SandboxedEnvironment subclass
with jinja2.ext.do and jinja2.ext.loopcontrols, default Undefined, no
keep_trailing_newline) and writes the cases in jinja_compat.json's shape.

usage: gen.py OUT.json [--seed N] [--random N]
"""
import json
import random
import sys

import jinja2
import jinja2.sandbox

ENV = jinja2.sandbox.SandboxedEnvironment(
    extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])


def context():
    return {
        "d": {"a": 1, "b": 2},
        "xs": [3, 1, 2],
        "rows": [{"name": "a", "type": "int", "n": 1},
                 {"name": "b", "type": "text", "n": 2},
                 {"name": "c", "type": "int", "n": 3}],
        "cols": ["id", "Name", "amount"],
        "s": "Hello World",
        "n": 5,
        "f": 2.5,
        "t": True,
        "e": "",
        "nn": None,
    }


def render(src):
    try:
        return {"template": src, "output": ENV.from_string(src).render(context())}
    except Exception as ex:  # noqa
        msg = str(ex).splitlines()[0] if str(ex) else ""
        return {"template": src, "error": "%s: %s" % (type(ex).__name__, msg)}


VALUES = {
    "int": ["0", "1", "-3", "7", "n", "10", "2"],
    "float": ["2.5", "0.1", "1.0", "-0.5", "f", "1e3", "3.14159", "1.5e-5", "100.0"],
    "str": ["'abc'", "'A b C'", "''", "' x '", "s", "'a,b,c'", "'1'", "'3.5'", "e",
            "'it''s'", "\"it's\"", "'a\\nb'", "'%s'", "'x_y_z'", "'  lead'", "'ÄÖ'"],
    "none": ["none", "None", "nn"],
    "bool": ["true", "True", "false", "t"],
    "list": ["[1, 2, 3]", "['b', 'a', 'c']", "[]", "xs", "cols", "[1, 'a', none]",
             "[2.5, 1]", "[[1, 2], [3]]", "['a', 'a', 'b']", "rows"],
    "tuple": ["(1, 2)", "('a',)", "()"],
    "dict": ["{'a': 1, 'b': 2}", "{}", "d", "{'x': none, 'y': [1]}", "{'k': 'v'}", "{1: 'one'}"],
    "undef": ["missing", "d.zz", "xs[9]"],
}
ALL = [v for vs in VALUES.values() for v in vs]

BINOPS = ["+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", "<=", ">", ">=",
          "in", "not in", "and", "or"]

FILTERS = {
    "any": ["string", "tojson", "default('D')", "default('D', true)", "d('D')", "length",
            "list", "first", "last", "int", "float", "abs", "round", "round(1)",
            "round(1, 'floor')", "lower", "upper", "trim", "title", "capitalize",
            "join(',')", "join", "unique|list", "sort", "sort(reverse=true)", "reverse|list",
            "sum", "min", "max", "count", "wordcount", "replace('a', 'Z')",
            "indent(2)", "indent(2, true)", "batch(2)|list", "slice(2)|list",
            "dictsort", "items|list", "safe", "e", "escape", "striptags", "center(9)",
            "truncate(5)", "format(1)", "int(7)", "float(1.5)", "bool" if False else "string|length",
            "select|list", "reject|list", "map('string')|list", "map('upper')|list",
            "selectattr('n')|list", "map(attribute='name')|list", "map(attribute='zz')|list",
            "map(attribute='zz', default='q')|list", "selectattr('type', 'equalto', 'int')|list",
            "rejectattr('type', 'eq', 'int')|list", "groupby('type')", "groupby('type')|map(attribute='grouper')|list",
            "sum(attribute='n')", "max(attribute='n')", "min(attribute='n')", "sort(attribute='name')",
            "unique(attribute='type')|list", "join(',', attribute='name')", "list|length",
            "filesizeformat", "pprint", "urlencode", "xmlattr" if False else "lower|upper",
            "string|list", "tojson(indent=2)", "map('int')|list", "map('default', 'x')|list",
            "select('defined')|list", "select('string')|list", "select('number')|list",
            "reject('none')|list", "select('equalto', 1)|list", "select('in', [1, 2])|list",
            "batch(2, 'x')|list", "random" if False else "attr('a')", "items|map('first')|list",
            "dictsort(reverse=true)", "dictsort(by='value')", "trim('x')", "replace('a', 'Z', 1)",
            "center", "wordwrap(5)", "title|replace(' ', '')", "int('x')", "int(base=16)",
            "round(0, 'ceil')", "abs|string", "first|upper", "last|lower", "length|string"],
}

METHODS = {
    "str": ["upper()", "lower()", "strip()", "strip('x')", "lstrip()", "rstrip()",
            "split()", "split(',')", "split(',', 1)", "rsplit(',', 1)", "rsplit()",
            "replace('a', 'Z')", "replace('', '-')", "startswith('a')", "startswith(('a', 'H'))",
            "endswith('c')", "format(1, 2)", "join(['1', '2'])", "title()", "capitalize()",
            "find('b')", "find('zz')", "count('a')", "count('')", "isdigit()", "isalpha()",
            "isupper()", "islower()", "zfill(5)", "ljust(6, '.')", "rjust(6)", "center(7, '*')",
            "partition(',')", "rpartition(',')", "splitlines()", "swapcase()", "casefold()",
            "index('b')", "rfind('a')", "encode" if False else "upper().lower()", "__len__()",
            "removeprefix('a')", "removesuffix('c')", "expandtabs()", "isspace()", "istitle()",
            "isnumeric()", "isalnum()", "isidentifier()", "lstrip('a ')", "rstrip(', ')"],
    "list": ["index(1)", "count(1)", "copy()", "__len__()"],
    "dict": ["items()", "keys()", "values()", "get('a')", "get('zz')", "get('zz', 0)",
             "items()|list", "keys()|list", "values()|list", "copy()", "setdefault('q', 1)",
             "pop('a')", "pop('zz', 9)", "__contains__('a')"],
}

TESTS = ["defined", "undefined", "none", "string", "number", "mapping", "iterable",
         "sequence", "integer", "float", "boolean", "true", "false", "callable",
         "odd", "even", "divisibleby(3)", "lower", "upper", "eq(1)", "ne(1)", "lt(2)",
         "gt 0", "ge(1)", "le 1", "in([1, 2])", "sameas(none)", "escaped", "filter" if False else "sameas true"]


def rand_expr(r, depth=0):
    k = r.random()
    if depth > 1 or k < 0.35:
        return r.choice(ALL)
    if k < 0.6:
        op = r.choice(BINOPS)
        return "%s %s %s" % (rand_expr(r, depth + 1), op, rand_expr(r, depth + 1))
    if k < 0.7:
        return "(%s)" % rand_expr(r, depth + 1)
    if k < 0.8:
        return "%s if %s else %s" % (rand_expr(r, depth + 1), rand_expr(r, depth + 1), rand_expr(r, depth + 1))
    if k < 0.9:
        return "%s[%s]" % (r.choice(VALUES["list"] + VALUES["str"] + VALUES["dict"]),
                            r.choice(["0", "-1", "1:", ":2", "::-1", "'a'", "1:-1", "5", "-5:"]))
    return "not %s" % rand_expr(r, depth + 1)


def random_templates(r, count):
    out = []
    for _ in range(count):
        k = r.random()
        if k < 0.3:
            a, b = r.choice(ALL), r.choice(ALL)
            op = r.choice(BINOPS)
            out.append("{{ %s %s %s }}" % (a, op, b))
        elif k < 0.55:
            v = r.choice(ALL)
            out.append("{{ %s|%s }}" % (v, r.choice(FILTERS["any"])))
        elif k < 0.7:
            typ = r.choice(["str", "list", "dict"])
            v = r.choice(VALUES[typ])
            out.append("{{ %s.%s }}" % (v, r.choice(METHODS[typ])))
        elif k < 0.82:
            v = r.choice(ALL)
            neg = r.choice(["", "not "])
            out.append("{{ %s is %s%s }}" % (v, neg, r.choice(TESTS)))
        else:
            out.append("{{ %s }}" % rand_expr(r))
    return out


HAND = open(__file__.replace("gen.py", "hand.txt")).read().split("\n====\n")


def main():
    outp = sys.argv[1]
    seed = 48
    nrand = 3000
    args = sys.argv[2:]
    if "--seed" in args:
        seed = int(args[args.index("--seed") + 1])
    if "--random" in args:
        nrand = int(args[args.index("--random") + 1])
    r = random.Random(seed)
    tpls = [h.strip("\n") for h in HAND if h.strip()]
    # every value printed, every filter and method on each kind of value
    tpls += ["{{ %s }}" % v for v in ALL]
    for typ, ms in METHODS.items():
        for v in VALUES[typ]:
            for m in ms:
                tpls.append("{{ %s.%s }}" % (v, m))
    tpls += random_templates(r, nrand)
    seen, cases = set(), []
    for t in tpls:
        if t in seen:
            continue
        seen.add(t)
        cases.append(render(t))
    json.dump({"generator": "Jinja2 %s SandboxedEnvironment with jinja2.ext.do and jinja2.ext.loopcontrols (gen.py)" % jinja2.__version__,
               "cases": cases}, open(outp, "w"), indent=1, ensure_ascii=False)
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
