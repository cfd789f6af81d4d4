package server

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/api"
)

// docsCSS is the docs page's style, inline so that the page stands alone;
// the page's Content-Security-Policy allows exactly this text by its hash.
const docsCSS = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:960px;color:#222;line-height:1.5}
h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:2em}
.op{margin:.8em 0;padding:.5em .8em;border-left:4px solid #2a6fb0;background:#f6f8fa}
.m{display:inline-block;min-width:4.5em;font-weight:bold;font-family:monospace}
code{font-family:monospace}.lock{color:#a60}.desc{color:#555;font-size:.95em}
`

// docsCSP is the docs page's policy: the server's, with docsCSS allowed.
var docsCSP = func() string {
	sum := sha256.Sum256([]byte(docsCSS))
	return strings.Replace(cspNoFraming, "style-src 'self'", "style-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", 1)
}()

// docsPage renders the OpenAPI document as a plain page that needs no
// network: a hall's PCs often reach nothing but the server.
var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}} 接口文档</title>
<style>` + docsCSS + `</style></head><body>
<h1>{{.Title}} <small>{{.Version}}</small></h1>
<p>{{.Description}}</p>
<p>机器可读的 OpenAPI 文档：<a href="{{.Prefix}}/openapi.json">{{.Prefix}}/openapi.json</a> · <a href="{{.Prefix}}/openapi.yaml">openapi.yaml</a></p>
{{range .Groups}}<h2>{{.Tag}}</h2>
{{range .Ops}}<div class="op"><span class="m">{{.Method}}</span> <code>{{$.Prefix}}{{.Path}}</code> {{.Summary}}{{if .Secured}} <span class="lock">（需登录）</span>{{end}}
{{if .Description}}<div class="desc">{{.Description}}</div>{{end}}</div>
{{end}}{{end}}
</body></html>`))

type docsOp struct {
	Method, Path, Summary, Description string
	Secured                            bool
}

type docsGroup struct {
	Tag string
	Ops []docsOp
}

func (s *Server) docs(w http.ResponseWriter, r *http.Request) {
	oa := s.api.OpenAPI()
	groups := map[string]*docsGroup{}
	var order []string
	paths := make([]string, 0, len(oa.Paths))
	for p := range oa.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		item := oa.Paths[p]
		for _, m := range []struct {
			name string
			op   *huma.Operation
		}{{"GET", item.Get}, {"POST", item.Post}, {"PUT", item.Put}, {"PATCH", item.Patch}, {"DELETE", item.Delete}} {
			if m.op == nil {
				continue
			}
			tag := "其他"
			if len(m.op.Tags) > 0 {
				tag = m.op.Tags[0]
			}
			g, ok := groups[tag]
			if !ok {
				g = &docsGroup{Tag: tag}
				groups[tag] = g
				order = append(order, tag)
			}
			g.Ops = append(g.Ops, docsOp{Method: m.name, Path: p, Summary: m.op.Summary,
				Description: strings.TrimSpace(m.op.Description), Secured: len(m.op.Security) > 0})
		}
	}
	data := struct {
		Title, Version, Description, Prefix string
		Groups                              []*docsGroup
	}{oa.Info.Title, oa.Info.Version, oa.Info.Description, api.Prefix, nil}
	for _, t := range order {
		data.Groups = append(data.Groups, groups[t])
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", docsCSP)
	if err := docsPage.Execute(w, data); err != nil {
		s.log.Error("docs page", "err", err)
	}
}
