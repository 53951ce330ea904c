package cli

import (
	"strings"

	"github.com/spf13/pflag"
)

// dbt's list-valued flags take several values after one flag: `dbt run
// --select a b --exclude c`, `dbt ls --output-keys name unique_id` (its
// MultiOption: every argument up to the next one that starts with "-").
// cobra takes one value a flag, so before it parses, each further value
// gets its flag again: `--select a --select b --exclude c`. (No command
// that takes these flags takes positional arguments.)
var multiValueFlags = map[string]bool{
	"--select": true, "-s": true, "--models": true, "--model": true, "-m": true, "--exclude": true,
	"--resource-type": true, "--resource-types": true, "--exclude-resource-type": true, "--exclude-resource-types": true,
	"--output-keys": true,
}

// spreadMultiValues rewrites args so: nothing after "--" is touched.
func spreadMultiValues(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		out = append(out, a)
		if a == "--" {
			return append(out, args[i+1:]...)
		}
		name, _, inline := strings.Cut(a, "=")
		if len(a) > 2 && (a[:2] == "-s" || a[:2] == "-m") && a[2] != '=' {
			name, inline = a[:2], true // -sa: the short flag, its value attached
		}
		if !multiValueFlags[name] {
			continue
		}
		if !inline { // the flag's own value
			if i+1 >= len(args) {
				break
			}
			i++
			out = append(out, args[i])
		}
		for i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			i++
			out = append(out, name, args[i])
		}
	}
	return out
}

// listValues splits list-valued flags' values on spaces and commas, as
// dbt splits a quoted "name unique_id".
func listValues(flags []string) []string {
	var out []string
	for _, f := range flags {
		out = append(out, strings.FieldsFunc(f, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })...)
	}
	return out
}

// listFlag is a repeatable flag's values, shared by the names of one
// flag (--select, -s, --models, -m and --model are one list, as in dbt):
// every value is appended, whichever name gives it. (pflag's string
// arrays each start their list anew at their first value.)
type listFlag struct{ p *[]string }

func (f listFlag) Set(v string) error { *f.p = append(*f.p, v); return nil }
func (f listFlag) Type() string       { return "stringArray" }
func (f listFlag) String() string     { return "[" + strings.Join(*f.p, ",") + "]" }

// listFlags registers names (the first one shown, the others hidden
// aliases) as one list-valued flag of fs.
func listFlags(fs *pflag.FlagSet, p *[]string, usage string, names ...string) {
	for i, name := range names {
		short := ""
		if n, s, ok := strings.Cut(name, "/"); ok {
			name, short = n, s
		}
		fs.VarP(listFlag{p}, name, short, usage)
		if i > 0 {
			_ = fs.MarkHidden(name)
		}
	}
}
