package jinja

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// percentFormat implements Python's "fmt % args" (also the format filter).
func percentFormat(format string, args any) (string, error) {
	var pos []any
	var named any
	switch {
	case isTuple(args):
		pos = args.(*List).Items
	case isMapping(args):
		named = args
		pos = []any{args}
	default:
		pos = []any{args}
	}
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			return "", fmt.Errorf("incomplete format")
		}
		if format[i] == '%' {
			b.WriteByte('%')
			continue
		}
		var arg any
		haveArg := false
		if format[i] == '(' {
			end := strings.IndexByte(format[i:], ')')
			if end < 0 {
				return "", fmt.Errorf("incomplete format key")
			}
			key := format[i+1 : i+end]
			i += end + 1
			if named == nil {
				return "", fmt.Errorf("format requires a mapping")
			}
			v, ok, _ := mapGet(named, key)
			if !ok {
				return "", fmt.Errorf("missing key '%s'", key)
			}
			arg, haveArg = v, true
		}
		j := i
		for j < len(format) && strings.IndexByte("-+ #0", format[j]) >= 0 {
			j++
		}
		flags := format[i:j]
		k := j
		for k < len(format) && (format[k] >= '0' && format[k] <= '9' || format[k] == '.') {
			k++
		}
		widthPrec := format[j:k]
		if len(widthPrec) > 6 {
			return "", fmt.Errorf("format width or precision too large")
		}
		if k >= len(format) {
			return "", fmt.Errorf("incomplete format")
		}
		verb := format[k]
		i = k
		if !haveArg {
			if next >= len(pos) {
				return "", fmt.Errorf("not enough arguments for format string")
			}
			arg = pos[next]
			next++
		}
		s, err := formatOne(arg, flags, widthPrec, verb)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if l, isList := args.(*List); named == nil && next < len(pos) && !(isList && !l.Tuple) {
		// (Python takes a list for a mapping here: 'abc' % [] is 'abc')
		return "", fmt.Errorf("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

func formatOne(arg any, flags, widthPrec string, verb byte) (string, error) {
	switch verb {
	case 's':
		return fmt.Sprintf("%"+flags+widthPrec+"s", Str(arg)), nil
	case 'r':
		return fmt.Sprintf("%"+flags+widthPrec+"s", repr(arg)), nil
	case 'd', 'i', 'u':
		i, f, isF, ok := number(arg)
		if !ok {
			return "", fmt.Errorf("%%%c format: a number is required, not %s", verb, typeName(arg))
		}
		if isF {
			i = int(f)
		}
		return fmt.Sprintf("%"+flags+widthPrec+"d", i), nil
	case 'f', 'F', 'e', 'E', 'g', 'G':
		f, ok := toFloat(arg)
		if !ok {
			return "", fmt.Errorf("%%%c format: a number is required, not %s", verb, typeName(arg))
		}
		if !strings.Contains(widthPrec, ".") && (verb == 'f' || verb == 'F' || verb == 'e' || verb == 'E') {
			widthPrec += ".6"
		}
		return fmt.Sprintf("%"+flags+widthPrec+string(verb), f), nil
	case 'x', 'X', 'o':
		i, ok := toInt(arg)
		if !ok {
			return "", fmt.Errorf("%%%c format: an integer is required, not %s", verb, typeName(arg))
		}
		return fmt.Sprintf("%"+flags+widthPrec+string(verb), i), nil
	case 'c':
		if s, ok := arg.(string); ok && utf8.RuneCountInString(s) == 1 {
			return s, nil
		}
		if i, ok := toInt(arg); ok {
			return string(rune(i)), nil
		}
		return "", fmt.Errorf("%%c requires an int or a character")
	}
	return "", fmt.Errorf("unsupported format character '%c'", verb)
}

// strFormat implements Python's str.format with {}, {0}, {name} and a
// format spec such as {:.2f} or {:>10}.
func strFormat(format string, args []any, kw map[string]any) (string, error) {
	var b strings.Builder
	auto := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '{' && i+1 < len(format) && format[i+1] == '{':
			b.WriteByte('{')
			i++
			continue
		case c == '}' && i+1 < len(format) && format[i+1] == '}':
			b.WriteByte('}')
			i++
			continue
		case c != '{':
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(format[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("single '{' encountered in format string")
		}
		field := format[i+1 : i+end]
		i += end
		spec := ""
		if k := strings.IndexByte(field, ':'); k >= 0 {
			field, spec = field[:k], field[k+1:]
		}
		conv := ""
		if k := strings.IndexByte(field, '!'); k >= 0 {
			field, conv = field[:k], field[k+1:]
		}
		// the field: an index or a name, then .attr and [key] accessors
		first := field
		if k := strings.IndexAny(field, ".["); k >= 0 {
			first, field = field[:k], field[k:]
		} else {
			field = ""
		}
		var v any
		switch {
		case first == "":
			if auto >= len(args) {
				return "", fmt.Errorf("replacement index %d out of range", auto)
			}
			v = args[auto]
			auto++
		case first[0] >= '0' && first[0] <= '9':
			n, err := strconv.Atoi(first)
			if err != nil || n >= len(args) {
				return "", fmt.Errorf("replacement index %s out of range", first)
			}
			v = args[n]
		default:
			x, ok := kw[first]
			if !ok {
				return "", fmt.Errorf("missing keyword argument '%s'", first)
			}
			v = x
		}
		for field != "" {
			if field[0] == '.' {
				k := strings.IndexAny(field[1:], ".[") + 1
				if k == 0 {
					k = len(field)
				}
				v, field = getAttr(v, field[1:k]), field[k:]
				continue
			}
			k := strings.IndexByte(field, ']')
			if field[0] != '[' || k < 0 {
				return "", fmt.Errorf("bad format field %s", field)
			}
			var key any = field[1:k]
			if n, err := strconv.Atoi(field[1:k]); err == nil {
				key = n
			}
			v, field = getItem(v, key), field[k+1:]
		}
		if conv == "r" {
			v = repr(v)
		}
		s, err := formatSpec(v, spec)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// formatSpec applies a Python format spec: [[fill]align][sign][0][width][,][.prec][type].
func formatSpec(v any, spec string) (string, error) {
	if spec == "" {
		return Str(v), nil
	}
	fill, align := " ", byte(0)
	if r, size := utf8.DecodeRuneInString(spec); len(spec) > size && strings.IndexByte("<>^=", spec[size]) >= 0 {
		fill, align, spec = string(r), spec[size], spec[size+1:]
	} else if len(spec) >= 1 && strings.IndexByte("<>^=", spec[0]) >= 0 {
		align, spec = spec[0], spec[1:]
	}
	sign := ""
	if spec != "" && strings.IndexByte("+- ", spec[0]) >= 0 {
		sign, spec = spec[:1], spec[1:]
	}
	alt := false // '#': 0x, 0o, 0b before the digits
	if spec != "" && spec[0] == '#' {
		alt, spec = true, spec[1:]
	}
	if spec != "" && spec[0] == '0' {
		fill = "0"
		if align == 0 {
			align = '='
		}
		spec = spec[1:]
	}
	i := 0
	for i < len(spec) && spec[i] >= '0' && spec[i] <= '9' {
		i++
	}
	width, _ := strconv.Atoi(spec[:i])
	if i > 7 || width > maxLen {
		return "", fmt.Errorf("format width too large")
	}
	spec = spec[i:]
	comma := false
	if spec != "" && (spec[0] == ',' || spec[0] == '_') {
		comma, spec = true, spec[1:]
	}
	prec := -1
	if spec != "" && spec[0] == '.' {
		j := 1
		for j < len(spec) && spec[j] >= '0' && spec[j] <= '9' {
			j++
		}
		prec, _ = strconv.Atoi(spec[1:j])
		if j > 4 {
			return "", fmt.Errorf("format precision too large")
		}
		spec = spec[j:]
	}
	typ := byte(0)
	if spec != "" {
		typ = spec[0]
	}
	var s string
	numeric := false
	switch typ {
	case 'd':
		n, f, isF, ok := number(v)
		if !ok || isF && f != math.Trunc(f) {
			return "", fmt.Errorf("format code 'd' needs an integer, not %s", typeName(v))
		}
		if isF {
			n = int(f)
		}
		s, numeric = strconv.Itoa(n), true
	case 'x', 'X', 'o', 'b', 'c':
		n, _, isF, ok := number(v)
		if !ok || isF {
			return "", fmt.Errorf("format code '%c' needs an integer, not %s", typ, typeName(v))
		}
		if typ == 'c' {
			s = string(rune(n))
			break
		}
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'b': 2}[typ]
		s, numeric = strconv.FormatInt(int64(n), base), true
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		if alt {
			s = "0" + string(typ|0x20) + s
		}
		if typ == 'X' {
			s = strings.ToUpper(s)
		}
		if neg {
			s = "-" + s
		}
	case 'f', 'F', 'e', 'E', 'g', 'G', '%':
		f, ok := toFloat(v)
		if !ok {
			return "", fmt.Errorf("format code '%c' needs a number, not %s", typ, typeName(v))
		}
		if prec < 0 {
			prec = 6
		}
		if typ == '%' {
			s = strconv.FormatFloat(f*100, 'f', prec, 64) + "%"
		} else {
			s = strconv.FormatFloat(f, typ|0x20, prec, 64)
			if typ == 'E' || typ == 'G' {
				s = strings.ToUpper(s)
			}
		}
		numeric = true
	case 's', 0:
		if isNumber(v) && typ == 0 {
			numeric = true
			if f, isF := v.(float64); isF && prec >= 0 {
				s = strconv.FormatFloat(f, 'g', prec, 64)
			} else {
				s = Str(v)
			}
		} else {
			s = Str(v)
			if prec >= 0 && utf8.RuneCountInString(s) > prec {
				s = string([]rune(s)[:prec])
			}
		}
	default:
		return "", fmt.Errorf("unsupported format code '%c'", typ)
	}
	if numeric {
		neg := strings.HasPrefix(s, "-")
		if neg {
			s = s[1:]
		}
		if comma {
			s = groupThousands(s)
		}
		switch {
		case neg:
			s = "-" + s
		case sign == "+":
			s = "+" + s
		case sign == " ":
			s = " " + s
		}
		if align == 0 {
			align = '>'
		}
	} else if align == 0 {
		align = '<'
	}
	pad := width - utf8.RuneCountInString(s)
	if pad <= 0 {
		return s, nil
	}
	switch align {
	case '<':
		return s + strings.Repeat(fill, pad), nil
	case '^':
		return strings.Repeat(fill, pad/2) + s + strings.Repeat(fill, pad-pad/2), nil
	case '=':
		if s != "" && (s[0] == '-' || s[0] == '+' || s[0] == ' ') {
			return s[:1] + strings.Repeat(fill, pad) + s[1:], nil
		}
	}
	return strings.Repeat(fill, pad) + s, nil
}

func groupThousands(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
