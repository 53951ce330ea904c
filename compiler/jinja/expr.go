package jinja

import (
	"strings"
)

// token kinds of the expression lexer.
const (
	tIdent = iota + 1
	tNumber
	tString
	tOp
)

type token struct {
	kind int
	s    string
	off  int // offset in the original source
}

func lexExpr(src string, from, to int) ([]token, int) {
	var toks []token
	i := from
	for i < to {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdent(c, false):
			j := i + 1
			for j < to && isIdent(src[j], true) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], i})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < to && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == '_') {
				j++
			}
			toks = append(toks, token{tNumber, strings.ReplaceAll(src[i:j], "_", ""), i})
			i = j
		case c == '\'' || c == '"':
			j := i + 1
			var b strings.Builder
			for j < to && src[j] != c {
				if src[j] == '\\' && j+1 < to {
					j++
					switch src[j] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					default:
						b.WriteByte(src[j])
					}
					j++
					continue
				}
				b.WriteByte(src[j])
				j++
			}
			if j >= to {
				return nil, i
			}
			toks = append(toks, token{tString, b.String(), i})
			i = j + 1
		default:
			op := string(c)
			if i+1 < to {
				two := src[i : i+2]
				switch two {
				case "==", "!=", "<=", ">=", "//", "**", "&&", "||":
					op = two
				}
			}
			toks = append(toks, token{tOp, op, i})
			i += len(op)
		}
	}
	return toks, -1
}

// frame is one open bracket in the expression being rewritten.
type frame struct {
	kind     byte // '(' call, 'g' group, 'l' list, '[' subscript, '{' dict
	kwOpen   bool // a __kw( wrapper is open and closes at the next ',' or end
	argStart bool
	noKw     bool // macro signature: keep name=default as is
}

// jinjaFilters are filters whose Jinja behaviour differs from pongo2's or
// that pongo2 lacks; they are registered as __f_<name>.
var jinjaFilters = map[string]bool{
	"join": true, "default": true, "d": true, "replace": true, "trim": true, "int": true, "float": true,
	"string": true, "list": true, "length": true, "count": true, "upper": true, "lower": true, "first": true,
	"last": true, "unique": true, "sort": true, "tojson": true, "round": true, "abs": true, "capitalize": true,
	"title": true, "reverse": true, "indent": true, "format": true, "sum": true, "map": true, "select": true,
	"reject": true, "selectattr": true, "rejectattr": true, "items": true, "as_text": true, "as_bool": true,
	"as_number": true, "as_native": true, "min": true, "max": true, "wordcount": true, "bool": true,
}

// methods are Python methods that Jinja templates call on values; they become
// __m_<name> filters.
var methods = map[string]bool{
	"upper": true, "lower": true, "strip": true, "lstrip": true, "rstrip": true, "split": true, "replace": true,
	"startswith": true, "endswith": true, "get": true, "keys": true, "values": true, "items": true,
	"format": true, "join": true, "title": true, "capitalize": true, "append": true, "extend": true,
	"update": true, "count": true, "index": true, "isdigit": true, "pop": true,
}

// expr rewrites the Jinja expression src[from:to] into pongo2 syntax.
func (r *rewriter) expr(from, to int, signature bool) error {
	toks, bad := lexExpr(r.src, from, to)
	if bad >= 0 {
		return r.errAt(bad, "unterminated string")
	}
	var stack []*frame
	top := func() *frame {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	prevKind, prevS := 0, ""
	closeKw := func(at int) error {
		if f := top(); f != nil && f.kwOpen {
			if prevKind == tOp && prevS == "(" {
				return r.errAt(at, "expected a value after '='")
			}
			r.emit(")", at)
			f.kwOpen = false
		}
		return nil
	}
	sep := func(t token) {
		// keep words apart; pongo2 needs spaces around keywords
		if prevKind == tIdent || prevKind == tNumber || prevKind == tString || (prevKind == tOp && prevS != "." && prevS != "(" && prevS != "[") {
			if !(t.kind == tOp && (t.s == "." || t.s == "(" || t.s == "[" || t.s == ")" || t.s == "]" || t.s == ",")) {
				r.emit(" ", t.off)
			}
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		next := func(k int) token {
			if i+k < len(toks) {
				return toks[i+k]
			}
			return token{}
		}
		if f := top(); f != nil && f.argStart {
			f.argStart = false
			if f.kind == '(' && !f.noKw && t.kind == tIdent && next(1).kind == tOp && next(1).s == "=" {
				sep(t)
				r.emit("__kw("+quoteString(t.s)+", ", t.off)
				f.kwOpen = true
				i++
				prevKind, prevS = tOp, "("
				continue
			}
		}
		switch t.kind {
		case tString:
			sep(t)
			r.emit(quoteString(t.s), t.off)
		case tNumber:
			sep(t)
			r.emit(t.s, t.off)
		case tIdent:
			if prevKind == tOp && prevS == "." {
				r.emit(t.s, t.off)
				break
			}
			switch t.s {
			case "True", "true":
				sep(t)
				r.emit("true", t.off)
			case "False", "false":
				sep(t)
				r.emit("false", t.off)
			case "None", "none":
				sep(t)
				r.emit("__none", t.off)
			case "is":
				neg := next(1).kind == tIdent && next(1).s == "not"
				k := 1
				if neg {
					k = 2
				}
				test := next(k)
				if test.kind != tIdent {
					return r.errAt(t.off, "expected a test name after 'is' (none, defined, string, number, mapping, iterable)")
				}
				f := "__is"
				if neg {
					f = "__isnot"
				}
				r.emit("|"+f+":"+quoteString(test.s), t.off)
				i += k
				t = test
				prevKind, prevS = tString, ""
				continue
			case "loop":
				if next(1).s == "." && next(2).kind == tIdent {
					sep(t)
					field, ok := loopFields[next(2).s]
					if !ok {
						return r.errAt(next(2).off, "loop.%s is not supported (use loop.index, loop.index0, loop.first, loop.last, loop.length, loop.revindex)", next(2).s)
					}
					r.emit(field, t.off)
					i += 2
					prevKind, prevS = tIdent, "loop"
					continue
				}
				sep(t)
				r.emit("forloop", t.off)
			case "config":
				if next(1).s == "." && (next(2).s == "get" || next(2).s == "require") && next(3).s == "(" {
					sep(t)
					r.emit("__config_"+next(2).s, t.off)
					i += 2
					prevKind, prevS = tIdent, "config"
					continue
				}
				sep(t)
				r.emit(t.s, t.off)
			case "return":
				sep(t)
				r.emit("__return", t.off)
			default:
				sep(t)
				if r.macros(t.s) && next(1).s == "(" && !(signature && len(stack) == 0) {
					r.emit("__macros."+t.s, t.off)
				} else {
					r.emit(t.s, t.off)
				}
			}
		case tOp:
			switch t.s {
			case "(":
				kind := byte('g')
				if prevKind == tIdent || prevKind == tOp && (prevS == ")" || prevS == "]") {
					kind = '('
				}
				stack = append(stack, &frame{kind: kind, argStart: true, noKw: signature && len(stack) == 0})
				r.emit("(", t.off)
			case "[":
				if prevKind == tIdent || prevKind == tString || prevKind == tOp && (prevS == ")" || prevS == "]") {
					stack = append(stack, &frame{kind: '['})
					r.emit("[", t.off)
				} else {
					sep(t)
					stack = append(stack, &frame{kind: 'l', argStart: true})
					r.emit("__list(", t.off)
				}
			case "{":
				sep(t)
				stack = append(stack, &frame{kind: '{', argStart: true})
				r.emit("__dict(", t.off)
			case ")", "]", "}":
				f := top()
				want := map[string]string{")": "(g", "]": "[l", "}": "{"}[t.s]
				if f == nil || !strings.ContainsRune(want, rune(f.kind)) {
					return r.errAt(t.off, "unexpected %q", t.s)
				}
				if err := closeKw(t.off); err != nil {
					return err
				}
				stack = stack[:len(stack)-1]
				if f.kind == '[' {
					r.emit("]", t.off)
				} else {
					r.emit(")", t.off)
				}
			case ",":
				if err := closeKw(t.off); err != nil {
					return err
				}
				if f := top(); f != nil {
					f.argStart = true
				}
				r.emit(",", t.off)
			case ":":
				if f := top(); f != nil && f.kind == '{' {
					r.emit(",", t.off)
				} else {
					r.emit(":", t.off)
				}
			case "~":
				r.emit(" +", t.off)
			case ".":
				if next(1).kind == tIdent && next(2).s == "(" && methods[next(1).s] {
					r.emit("|__m_"+next(1).s+":__list(", t.off)
					stack = append(stack, &frame{kind: '(', argStart: true})
					i += 2
					prevKind, prevS = tOp, "("
					continue
				}
				r.emit(".", t.off)
			case "|":
				name := next(1)
				if name.kind != tIdent {
					return r.errAt(t.off, "expected a filter name after '|'")
				}
				fname := name.s
				if jinjaFilters[fname] {
					fname = "__f_" + fname
				}
				r.emit("|"+fname, t.off)
				i++
				if next(1).s == "(" {
					r.emit(":__list(", next(1).off)
					stack = append(stack, &frame{kind: '(', argStart: true})
					i++
					prevKind, prevS = tOp, "("
					continue
				}
				prevKind, prevS = tIdent, fname
				continue
			case "=":
				r.emit(" = ", t.off)
			default:
				sep(t)
				r.emit(t.s, t.off)
			}
		}
		prevKind, prevS = t.kind, t.s
	}
	if f := top(); f != nil {
		return r.errAt(to, "unclosed bracket: expected %q", map[byte]string{'(': ")", 'g': ")", 'l': "]", '[': "]", '{': "}"}[f.kind])
	}
	return nil
}

var loopFields = map[string]string{
	"index":     "forloop.Counter",
	"index0":    "forloop.Counter0",
	"first":     "forloop.First",
	"last":      "forloop.Last",
	"revindex":  "forloop.Revcounter",
	"revindex0": "forloop.Revcounter0",
	"length":    "(forloop.Counter0 + forloop.Revcounter)",
}
