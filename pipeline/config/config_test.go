package config

import (
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

var known = []string{"tfp_gaza_daily", "tfp_lebanon_daily"}

func TestParse(t *testing.T) {
	c, err := Parse("toll.yaml", []byte("sources:\n  tfp_gaza_daily:\n    url: http://127.0.0.1:9/x.json\n    timeout: 90s\n"))
	if err == nil {
		err = c.CheckSources("toll.yaml", known)
	}
	if err != nil {
		t.Fatal(err)
	}
	g := c.Sources["tfp_gaza_daily"]
	if g.URL != "http://127.0.0.1:9/x.json" || g.Timeout != 90*time.Second {
		t.Errorf("got %+v", g)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key names its line", "sources:\n  tfp_gaza_daily:\n    ulr: http://x\n", "[3:5]"},
		{"unknown top-level key", "source:\n  tfp_gaza_daily: {}\n", "[1:1]"},
		{"unknown source", "sources:\n  tfp_gaza: {url: http://x}\n", `unknown source "tfp_gaza"`},
		{"bad duration", "sources:\n  tfp_gaza_daily: {timeout: soon}\n", "soon"},
		{"negative cap", "sources:\n  tfp_gaza_daily: {max_bytes: -1}\n", "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("toll.yaml", []byte(tt.yaml))
			if err == nil {
				err = c.CheckSources("toll.yaml", known)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// Anchors and aliases are refused before anything expands them: a "billion laughs" of a few lines
// would otherwise take the process's memory.
func TestAliasesRefused(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
	var v map[string]any
	if err := DecodeYAML([]byte(bomb), &v); err == nil || !strings.Contains(err.Error(), "line 1: YAML anchors and aliases") {
		t.Errorf("an alias bomb: %v", err)
	}
	_, err := Parse("toll.yaml", []byte("defaults: &d\n  timeout: 90s\nsources:\n  tfp_gaza_daily: *d\n"))
	if err == nil || !strings.Contains(err.Error(), "anchors and aliases") {
		t.Errorf("an alias in a config file: %v", err)
	}
}

// FuzzDecodeYAML: any config file is decoded or refused with an error, never a panic, and a file with
// an anchor or an alias (the alias bomb that once took a run's memory is a seed) is always refused.
func FuzzDecodeYAML(f *testing.F) {
	f.Add("sources:\n  tfp_gaza_daily:\n    url: http://127.0.0.1:9/x.json\n    timeout: 90s\n")
	f.Add("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n")
	f.Add("source_files: [a.yaml, b.yaml]\npublish: {url: 'file:///tmp/x'}\n")
	f.Fuzz(func(t *testing.T, text string) {
		var v any
		err := DecodeYAML([]byte(text), &v)
		file, perr := parser.ParseBytes([]byte(text), 0)
		if perr != nil || err != nil {
			return
		}
		for _, doc := range file.Docs {
			ast.Walk(visitor(func(n ast.Node) bool {
				switch n.(type) {
				case *ast.AnchorNode, *ast.AliasNode:
					t.Fatalf("decoded a file with an anchor or alias: %q", text)
				}
				return true
			}), doc)
		}
	})
}
