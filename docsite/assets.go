package docsite

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html"
	"strings"
)

// The site's front end: hand-written, no build step. The scripts are
// concatenated, in this order, into one assets/app.js inside a function
// scope; each file holds one idea (assets/js/*.js say which).
//
//go:embed assets/index.html assets/app.css assets/js/*.js
var assets embed.FS

var scriptOrder = []string{
	"core.js", "data.js", "glob.js", "selector.js", "matchers.js", "layout.js", "lineage.js",
	"explorer.js", "search.js", "overview.js", "nodepage.js", "router.js",
}

type file struct {
	path string
	data []byte
}

// shellFiles are the files the first paint needs: index.html, the
// stylesheet, the script and data/index.js. index.html asks for the others
// with ?v=<hash of all three>, so a static host's cache never mixes the
// files of two generations.
func shellFiles(project string, indexJS []byte) ([]file, error) {
	js, err := appScript()
	if err != nil {
		return nil, err
	}
	css, err := assets.ReadFile("assets/app.css")
	if err != nil {
		return nil, err
	}
	chroma, err := highlightCSS()
	if err != nil {
		return nil, err
	}
	css = append(append(bytes.Clone(css), "\n/* SQL highlighting: chroma's "+highlightStyle+" style */\n"...), chroma...)
	page, err := assets.ReadFile("assets/index.html")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	for _, b := range [][]byte{js, css, indexJS} {
		h.Write(b)
	}
	build := hex.EncodeToString(h.Sum(nil))[:12]
	name := html.EscapeString(project)
	page = []byte(strings.NewReplacer("{{BUILD}}", build, "{{TITLE}}", name+" · mart docs", "{{PROJECT}}", name).Replace(string(page)))
	return []file{{"index.html", page}, {"assets/app.css", css}, {"assets/app.js", js}, {"data/index.js", indexJS}}, nil
}

// appScript concatenates the scripts in scriptOrder into one function
// scope.
func appScript() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// mart docs: the site's code (docsite/assets/js in the mart repository).\n(function () {\n'use strict';\n")
	for _, name := range scriptOrder {
		src, err := assets.ReadFile("assets/js/" + name)
		if err != nil {
			return nil, err
		}
		b.WriteString("\n")
		b.Write(src)
	}
	b.WriteString("})();\n")
	return b.Bytes(), nil
}
