#!/usr/bin/env python3
"""Writes ../jinja_diff48.json: the minimised differences found in review 48
(class a: a dbt project can hit it; c: exotic) and a sample of agreeing
cases from the generators' output, all rendered by Jinja2 as dbt configures it.
usage: build_cases.py [ALL_CASES.json ...]"""
import json
import random
import sys

from gen import render, jinja2

DIFFS = [
    # --- class a: scoping
    ("a", "{% set x = 1 %}{% set blk %}{% set x = 2 %}{% endset %}{{ x }}", "set inside a {% set %} block leaks out (tags.go setNode.Execute)"),
    ("a", "{% set blk %}{% set y = 'Y' %}{% endset %}[{{ y }}]", "set inside a {% set %} block leaks out"),
    ("a", "{% set x = 1 %}{% filter upper %}{% set x = 2 %}{% endfilter %}{{ x }}", "set inside {% filter %} leaks out (tags.go filterNode.Execute)"),
    ("a", "{% set x = 1 %}{% for i in [] %}{% else %}{% set x = 2 %}{% endfor %}{{ x }}", "set inside a for's else leaks out (tags.go forNode.Execute, orElse)"),
    # --- class a: keyword argument order
    ("a", "{% macro m() %}{{ kwargs }}{% endmacro %}{{ m(z=1, a=2) }}", "kwargs sorted, not in call order (ast.go call args map)"),
    ("a", "{% macro m() %}{% for k, v in kwargs.items() %}{{ k }}={{ v }} {% endfor %}{% endmacro %}{{ m(z=1, b=2, a=3) }}", "kwargs iterate sorted"),
    ("a", "{% for k, v in dict(materialized='table', schema='x', alias='a').items() %}{{ k }}={{ v }} {% endfor %}", "dict(k=v) sorted (globals.go dict)"),
    ("a", "{% set x = {} %}{% do x.update(z=1, a=2) %}{{ x }}", "dict.update(k=v) sorted"),
    # --- class a: groupby
    ("a", "{% for g in [{'t': 'a'}, {'t': 'b'}, {'t': 'a'}]|groupby('t') %}{{ g.grouper }}={{ g.list|length }};{% endfor %}", "groupby items lack .grouper/.list (filters.go groupby)"),
    # --- class a: filters computing differently
    ("a", "{{ 'order_id'|title }}|{{ 'a.b'|title }}", "title capitalises after _ and . (Jinja: only after space - ( { [ <)"),
    ("a", "{{ 2.675|round(2) }}|{{ 0.005|round(2) }}|{{ 1.15|round(1) }}", "round: RoundToEven(f*10^p)/10^p, not Python's correctly rounded round()"),
    ("a", "{{ 5|round }}|{{ 1234|round(-1) }}", "round of an int gives a float (Python keeps int)"),
    ("a", "{{ {'a': [1, 2]}|tojson }}|{{ [[1, 2]]|tojson }}|{{ [{'a': 1}, {'b': 2}]|tojson }}", "tojson: nested lists lose the space after commas (json.go)"),
    ("a", "{{ 1.0|tojson }}|{{ {'x': 100.0}|tojson }}|{{ 1.5e-5|tojson }}", "tojson: floats printed as ints / not in Python form"),
    ("a", "{{ 'é'|tojson }}", "tojson: non-ASCII not escaped (json.dumps ensure_ascii)"),
    ("a", "{{ {'sql': 'select \"a\"::int'}|tojson }}", "tojson changes string contents: the \": -> \": replacer of json.go toJSON runs over encoded strings"),
    ("a", "{{ 1.07 ** 30 }}|{{ 1.001 ** 365 }}|{{ 1.05 ** 12 }}", "float ** differs in the last digits (Go math.Pow, ops.go)"),
    ("a", "{{ (-8759.115 + 3)|round(2) }}|{{ (791796291474909 / 0.1)|round(2) }}", "round of ordinary floats off by one in the last place kept"),
    ("a", "{{ 'a,b c'|wordcount }}|{{ \"it's\"|wordcount }}", "wordcount splits on spaces, Jinja counts \\w+ runs"),
    ("a", "{{ none|map('upper')|list }}|{{ none|select|list }}|{{ none|selectattr('x')|list }}", "map/select on none: Jinja yields nothing, mart fails"),
    # --- class a: whitespace / newlines
    ("a", "x {# c -#} {{- 1 }}", "-#} then {{- : the {{- trims text before the comment (prepass.go comment/trimLeft)"),
    ("a", "select\r\n{%- for c in ['a', 'b'] %}\r\n  {{ c }}\r\n{%- endfor %}\r\nfrom t\r\n", "CRLF kept; Jinja turns \\r\\n into \\n"),
    ("a", "{% set s %}\r\na\r\n{% endset %}{{ s|length }}", "CRLF kept in set blocks"),
    # --- class a: Jinja features that fail in mart
    ("a", "{% set tree = [{'n': 'a', 'c': [{'n': 'b', 'c': []}]}] %}{% for i in tree recursive %}{{ i.n }}{{ loop(i.c) }}{% endfor %}", "recursive loops unsupported"),
    ("a", "{% set s | trim %}  abc  {% endset %}[{{ s }}]", "{% set x | filter %} block unsupported"),
    ("a", "{% set j = joiner(', ') %}{% for x in [1, 2, 3] %}{{ j() }}{{ x }}{% endfor %}", "joiner() missing"),
    ("a", "{% set c = cycler('a', 'b') %}{% for x in [1, 2, 3] %}{{ c.next() }}{% endfor %}", "cycler() missing"),
    ("a", "{% with a = 1 %}{{ a }}{% endwith %}", "{% with %} unsupported (not in docs/dbt-compatibility.md)"),
    ("a", "{{ [{'t': 'b', 'n': 1}, {'t': 'a', 'n': 2}]|sort(attribute='t,n')|map(attribute='n')|list }}", "sort(attribute='a,b') unsupported"),
    ("a", "{{ 'a=b'.partition('=') }}|{{ 'ab'.removeprefix('a') }}|{{ 'ab'.removesuffix('b') }}", "str methods missing"),
    # --- class c: exotic
    ("c", "{% for x in range(3) %}{% break %}{% else %}else{% endfor %}", "for-else after break in the first iteration"),
    ("c", "{% for i in [1] %}{% for j in [1] %}{{ loop.depth }}{% endfor %}{% endfor %}", "loop.depth of a non-recursive inner loop (forNode depth: e.loops)"),
    ("c", "{% set ns = namespace(a=1) %}{{ ns }}", "namespace repr"),
    ("c", "{{ {'a': 1}.items() }}|{{ {'a': 1}.keys() }}", "dict view repr"),
    ("c", "{{ [1, 2]|map('string') }}|{{ range(3) }}", "generator/range repr (mart prints the list)"),
    ("c", "{{ 2 ** 62 + 2 ** 62 }}|{{ 2 ** 64 }}|{{ 10 ** 20 }}", "int64 overflow: silent wrap / float"),
    ("c", "{{ (1, 2) == [1, 2] }}", "tuple == list"),
    ("c", "{{ 1e1 // 0.1 }}|{{ 9e4 // 0.1 }}", "float floor division: math.Floor(a/b) (ops.go), not Python's"),
    ("c", "{{ 1e19|int }}", "int of a float beyond int64: silent wrap"),
    ("c", "{{ 3 * [0] }}", "int * list"),
    ("c", "{{ {true: 1} }}", "True key printed as 1"),
    ("c", "{{ '0x1A'|int(0, 16) }}", "int with base 16 and 0x prefix"),
    ("c", "{{ 'ab'|center(5) }}", "center pads odd space on the other side"),
    ("c", "{{ '-5'.zfill(3) }}|{{ 'ß'|upper }}|{{ \"it's\".title() }}", "str corner cases"),
    ("c", "{{ '123' is upper }}|{{ 2.0 is even }}|{{ 'x'|e is escaped }}", "test corner cases"),
    ("c", "{{ \"\\101\" }}|{{ \"\\N{BULLET}\" }}", "octal and named escapes"),
    ("c", "{{ 'abc' % [] }}", "% with a list and no specifier"),
    ("c", "{{ [1, 2, 3, 4, 5]|slice(3, 'x')|list }}|{{ ''|indent(2, true) }}", "slice fill_with ignored; indent of empty first line"),
    ("c", "{{ 'abc'.find('c', 1) }}|{{ '{:x}'.format(255) }}|{{ '{0.a}'.format({'a': 1}) }}", "method arguments / format specs missing"),
    ("c", "{{ 'a'.startswith(missing) }}|{{ missing|tojson }}", "mart lenient with Undefined where Jinja fails"),
    ("c", "{% macro c() %}<{{ caller() }}>{% endmacro %}{% for i in [1, 2] %}{% if false %}{% call c() %}{% break %}{% endcall %}{% endif %}{{ i }}{% endfor %}", "break inside a call body: Jinja refuses to compile, mart fails only if it runs"),
    ("c", "{{ ','.join([1, 2]) }}|{{ [1] + (2,) }}", "mart lenient with types where Python fails"),
]


def main():
    cases = []
    for cls, t, note in DIFFS:
        c = render(t)
        c["class"], c["note"] = cls, note
        cases.append(c)
    # a sample of agreeing cases from the generators' full output files
    r = random.Random(48)
    for path in sys.argv[1:]:
        data = json.load(open(path))
        pool = [c for c in data["cases"] if c["template"] not in data.get("differing", [])]
        for c in r.sample(pool, min(40, len(pool))):
            c = dict(c)
            c["class"] = "agree"
            cases.append(c)
    json.dump({"generator": "Jinja2 %s SandboxedEnvironment(extensions=[do, loopcontrols]) as dbt; testdata/difffuzz/build_cases.py" % jinja2.__version__,
               "cases": cases}, open("../jinja_diff48.json", "w"), indent=1, ensure_ascii=False)
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
