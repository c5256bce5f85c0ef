package dashboard

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"sync"
)

// The page's template, style and script, embedded at build time: the page
// needs nothing from the network.
var (
	//go:embed assets/page.html.tmpl
	pageTemplate string
	//go:embed assets/style.css
	style string
	//go:embed assets/script.js
	script string
)

// page escapes every value by context (html/template): workspace text
// cannot open a tag, an attribute or a script. It is parsed when first
// used, not when okr starts: every other command would pay for it.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Funcs(template.FuncMap{
		"style":  func() template.CSS { return template.CSS(style) },
		"script": func() template.JS { return template.JS(script) },
		"scriptHash": func() string {
			sum := sha256.Sum256([]byte(script))
			return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		},
	}).Parse(pageTemplate))
})

// Write renders p as one self-contained HTML document.
func Write(w io.Writer, p *Page) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := page().Execute(bw, p); err != nil {
		return err
	}
	return bw.Flush()
}
