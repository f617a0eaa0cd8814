package check

import (
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	"github.com/grafana/regexp"
	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// A lexicon pattern is tried on every sentence, and most sentences hold none of its words. pattern
// skips the regular expression when the text lacks every literal one of its matches must contain,
// found from the expression's syntax: "\b(?:gaza|rafah)\b" needs "gaza" or "rafah", and
// "\b(?:dead|died|dying)\b", which the parser factors into d(?:ead|ied|ying), needs one of the three
// words. The letters of a case-insensitive (?i) pattern are not literals.
type pattern struct {
	*regexp.Regexp
	need []string // a match contains one of these; nil: no literal is required
	id   int      // its index in allPatterns
}

// allPatterns holds every pattern of the package's lexicons, made as the package starts, so that
// literalIndex can find all their literals in one pass and a test can check that no filter changes a
// match.
var allPatterns []*pattern

// mustPattern makes a pattern of the lexicons; call it only as the package starts (in a var).
func mustPattern(expr string) *pattern {
	p := newPattern(expr)
	p.id = len(allPatterns)
	allPatterns = append(allPatterns, p)
	return p
}

func newPattern(expr string) *pattern {
	p := &pattern{Regexp: regexp.MustCompile(expr), id: -1}
	if tree, err := syntax.Parse(expr, syntax.Perl); err == nil {
		p.need = minimal(required(tree.Simplify()))
	}
	return p
}

// maxExact bounds the strings exact enumerates, and so the literals a filter tries.
const maxExact = 32

// exact returns every string re matches, when re matches only a few fixed strings (zero-width
// assertions match ""); ok is false otherwise.
func exact(re *syntax.Regexp) (ss []string, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine:
		return []string{""}, true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 && strings.ToLower(string(re.Rune)) != strings.ToUpper(string(re.Rune)) {
			return nil, false // (?i)unrwa matches UNRWA too
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass: // a small class: [ds], ['’]
		seen := map[string]bool{}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				c := string(r)
				if !seen[c] {
					seen[c] = true
					ss = append(ss, c)
				}
				if len(ss) > 4 {
					return nil, false
				}
			}
		}
		return ss, true
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		sub, ok := exact(re.Sub[0])
		return append([]string{""}, sub...), ok
	case syntax.OpConcat:
		ss = []string{""}
		for _, sub := range re.Sub {
			next, ok := exact(sub)
			if !ok || len(ss)*len(next) > maxExact {
				return nil, false
			}
			ss = cross(ss, next)
		}
		return ss, true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			next, ok := exact(sub)
			if !ok || len(ss)+len(next) > maxExact {
				return nil, false
			}
			ss = append(ss, next...)
		}
		return ss, true
	}
	return nil, false
}

// cross returns every a followed by every b.
func cross(as, bs []string) []string {
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return out
}

// required returns literals of which every match of re contains one, or nil when it cannot tell.
func required(re *syntax.Regexp) []string {
	if ss, ok := exact(re); ok && !slices.Contains(ss, "") {
		return ss
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// The best of: each run of parts that match fixed strings, taken together ("d" then
		// "ead|ied|ying"), and what each other part requires.
		var best []string
		consider := func(r []string) {
			if r != nil && !slices.Contains(r, "") && (best == nil || rarity(r) > rarity(best)) {
				best = r
			}
		}
		run := []string{""}
		for _, sub := range re.Sub {
			if next, ok := exact(sub); ok && len(run)*len(next) <= maxExact {
				run = cross(run, next)
				continue
			}
			consider(run)
			run = []string{""}
			if next, ok := exact(sub); ok {
				run = next
			} else {
				consider(required(sub))
			}
		}
		consider(run)
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

// minimal drops each literal that contains another: a text holding it holds the other.
func minimal(ss []string) []string {
	var out []string
	for i, s := range ss {
		redundant := false
		for j, t := range ss {
			if j != i && strings.Contains(s, t) && (s != t || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, s)
		}
	}
	return out
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

// A sentence is read by hundreds of patterns, and trying each one's literals in turn took a third of
// the time of a check. literalIndex is an Aho-Corasick automaton of every literal of every pattern, so
// that one pass over a sentence says which patterns can match anywhere in it.
var literalIndex = sync.OnceValue(func() *literals {
	ix := &literals{always: make(held, (len(allPatterns)+63)/64)}
	number := map[string]int{}
	for _, p := range allPatterns {
		if p.need == nil {
			ix.always.add(p.id)
		}
		for _, lit := range p.need {
			k, ok := number[lit]
			if !ok {
				k = len(ix.words)
				number[lit] = k
				ix.words = append(ix.words, lit)
				ix.owners = append(ix.owners, nil)
			}
			ix.owners[k] = append(ix.owners[k], p.id)
		}
	}
	for id := len(allPatterns); id < len(ix.always)*64; id++ {
		ix.always.add(id) // ids the index does not know, of patterns made after it
	}
	b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.StandardMatch, DFA: true})
	ix.ac = b.Build(ix.words)
	return ix
})

type literals struct {
	ac     ahocorasick.AhoCorasick
	words  []string
	owners [][]int // owners[k]: the ids of the patterns that need words[k]
	always held    // the patterns that need no literal
}

// held is a set of pattern ids: the patterns that can match a text.
type held []uint64

func (h held) add(id int) { h[id/64] |= 1 << (id % 64) }

// may says whether p can match the text h was made from, or any part of it.
func (h held) may(p *pattern) bool {
	return p.id < 0 || p.id >= len(h)*64 || h[p.id/64]&(1<<(p.id%64)) != 0 // made after the index: always tried
}

// holding returns the patterns that can match text: those whose literals it holds, and those that
// need none.
func holding(text string) held {
	ix := literalIndex()
	h := slices.Clone(ix.always)
	it := ix.ac.IterOverlapping(text)
	for m := it.Next(); m != nil; m = it.Next() {
		for _, id := range ix.owners[m.Pattern()] {
			h.add(id)
		}
	}
	return h
}

// findAllIn is FindAllStringIndex on text, or on a part of the text h was made from.
func (p *pattern) findAllIn(text string, h held) [][]int {
	if !h.may(p) {
		return nil
	}
	return p.Regexp.FindAllStringIndex(text, -1)
}

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
