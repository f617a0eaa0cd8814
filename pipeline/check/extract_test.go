package check

import "testing"

func TestFirstConjunction(t *testing.T) {
	for text, want := range map[string]int{
		" people killed and 30 injured": 15,
		" people, including 3 children": 7,
		" sandwiches were eaten":        22, // "and" inside a word is no conjunction
		" killed as well as 5 injured":  8,
		"":                              0,
	} {
		if got := firstConjunction(text); got != want {
			t.Errorf("firstConjunction(%q) = %d, want %d", text, got, want)
		}
	}
}
