package check

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// A lexicon pattern is tried on every sentence, and most sentences hold none of its words. pattern
// skips the regular expression when the text lacks every literal one of its matches must contain,
// found from the expression's syntax: "\b(?:gaza|rafah)\b" needs "gaza" or "rafah". The patterns read
// lowercased text, so the literals are lowercased too.
type pattern struct {
	*regexp.Regexp
	need []string // a match contains one of these; nil: no literal is required
}

func mustPattern(expr string) *pattern {
	re := regexp.MustCompile(expr)
	p := &pattern{Regexp: re}
	if tree, err := syntax.Parse(expr, syntax.Perl); err == nil {
		p.need = required(tree.Simplify())
		for _, s := range p.need {
			if len(s) < 3 {
				p.need = nil // too short to rule a sentence out
				break
			}
		}
	}
	return p
}

// required returns literals of which every match of re contains one, or nil when it cannot tell.
func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if r := required(sub); r != nil && (best == nil || rarity(r) > rarity(best)) {
				best = r
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			r := required(sub)
			if r == nil {
				return nil
			}
			all = append(all, r...)
		}
		return all
	}
	return nil
}

// rarity scores a set of literals by its least telling member: the length of the shortest, and nothing
// for a word that nearly every sentence holds ("in ", "since ").
func rarity(ss []string) int {
	n := -1
	for _, s := range ss {
		l := len(s)
		if commonWords[strings.TrimSpace(s)] {
			l = 0
		}
		if n < 0 || l < n {
			n = l
		}
	}
	return n
}

var commonWords = map[string]bool{"in": true, "the": true, "of": true, "to": true, "a": true, "an": true, "on": true,
	"at": true, "by": true, "for": true, "from": true, "since": true, "and": true, "with": true, "is": true, "are": true,
	"was": true, "were": true, "has": true, "have": true, "been": true, "that": true, "this": true}

// mayMatch says whether text holds one of the literals a match needs.
func (p *pattern) mayMatch(text string) bool {
	if p.need == nil {
		return true
	}
	for _, s := range p.need {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

func (p *pattern) MatchString(s string) bool { return p.mayMatch(s) && p.Regexp.MatchString(s) }

func (p *pattern) FindString(s string) string {
	if !p.mayMatch(s) {
		return ""
	}
	return p.Regexp.FindString(s)
}

func (p *pattern) FindStringIndex(s string) []int {
	if !p.mayMatch(s) {
		return nil
	}
	return p.Regexp.FindStringIndex(s)
}

func (p *pattern) FindStringSubmatch(s string) []string {
	if !p.mayMatch(s) {
		return nil
	}
	return p.Regexp.FindStringSubmatch(s)
}

func (p *pattern) FindAllStringIndex(s string, n int) [][]int {
	if !p.mayMatch(s) {
		return nil
	}
	return p.Regexp.FindAllStringIndex(s, n)
}

// alternatives splits a pattern of the form \b(?:A|B|…)\b into one pattern per alternative, so that each
// is tried only on sentences with its own words: one large alternation is slow to run, and its literals
// are the commonest of its parts. Finding every part finds what the whole finds, and more where parts
// overlap; callers that weigh each hit (scopeCues) keep the longest.
func alternatives(expr string) []*pattern {
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err)
	}
	var alt *syntax.Regexp
	prefix, suffix := "", ""
	switch {
	case tree.Op == syntax.OpAlternate:
		alt = tree
	case tree.Op == syntax.OpConcat && len(tree.Sub) == 3 && tree.Sub[1].Op == syntax.OpAlternate &&
		tree.Sub[0].Op == syntax.OpWordBoundary && tree.Sub[2].Op == syntax.OpWordBoundary:
		alt, prefix, suffix = tree.Sub[1], `\b`, `\b`
	default:
		return []*pattern{mustPattern(expr)}
	}
	var out []*pattern
	for _, sub := range alt.Sub {
		out = append(out, mustPattern(prefix+"(?:"+sub.String()+")"+suffix))
	}
	return out
}

// patterns is a set of patterns that match where any of them does; each is tried only where its words are.
type patterns []*pattern

func anyOf(exprs ...string) patterns {
	var ps patterns
	for _, e := range exprs {
		ps = append(ps, mustPattern(e))
	}
	return ps
}

func (ps patterns) MatchString(s string) bool {
	for _, p := range ps {
		if p.MatchString(s) {
			return true
		}
	}
	return false
}
