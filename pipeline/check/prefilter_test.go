package check

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestPatternLiterals(t *testing.T) {
	tests := []struct {
		expr string
		need []string
	}{
		{`\b(?:gaza|rafah)\b`, []string{"gaza", "rafah"}},
		{`\bkilled and (?:wounded|injured)\b`, []string{"killed and wounded", "killed and injured"}},
		{`(?i)\bUNRWA\b`, nil}, // a case-insensitive pattern's letters are not literals
		{`\b(?:in|into) chad\b|\bchadian\b`, []string{"in chad", "into chad", "chadian"}},
		{`\d+ killed`, []string{" killed"}},
		{`\b\w+\b`, nil},
		{`\b(?:dead|deaths?|died|dying)\b`, []string{"dead", "death", "died", "dying"}},
		{`\b(?:in|into) (?:gaza|rafah)\b`, []string{"in gaza", "in rafah", "into gaza", "into rafah"}},
		{`\bun\b|\bunited nations\b`, []string{"un"}}, // "united nations" holds "un"
	}
	for _, tt := range tests {
		p := newPattern(tt.expr)
		got := slices.Clone(p.need)
		slices.Sort(got)
		want := slices.Clone(tt.need)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: needs %q, want %q", tt.expr, got, want)
		}
	}
	// The filter never changes what a pattern finds, on every sentence of the dev sets and on the text
	// before and after each of their numerals, where most patterns are tried.
	var texts []string
	for _, sentence := range devSentences(t) {
		s := newSentence(sentence, "")
		for _, p := range allPatterns {
			if !s.held.may(p) && p.Regexp.MatchString(s.lower) {
				t.Errorf("%s matches %q, but the literal index ruled it out", p, s.lower)
			}
		}
		texts = append(texts, s.lower)
		for _, n := range s.nums {
			texts = append(texts, s.before(n.Start), s.after(n.End))
		}
	}
	if len(allPatterns) < 100 {
		t.Fatalf("%d patterns registered; every mustPattern should register one", len(allPatterns))
	}
	for _, p := range allPatterns {
		for _, s := range texts {
			if (p.FindStringIndex(s) == nil) != (p.Regexp.FindStringIndex(s) == nil) {
				t.Errorf("%s on %q: the filter changed the match", p, s)
			}
		}
	}
}

// devSentences returns every sentence of the two labelled sentence sets.
func devSentences(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, name := range []string{"dev.jsonl", "dev-wide.jsonl"} {
		raw, err := os.ReadFile("testdata/claims/" + name)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			var ls struct{ Sentence string }
			if err := json.Unmarshal([]byte(line), &ls); err != nil {
				t.Fatal(err)
			}
			out = append(out, ls.Sentence)
		}
	}
	return out
}
