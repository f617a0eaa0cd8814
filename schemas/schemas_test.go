package schemas

import (
	"testing"
)

func TestEveryTermHasAMeaning(t *testing.T) {
	for _, field := range []string{FieldMetric, FieldSubgroup, FieldMeasure, FieldBasis} {
		terms := Terms(field)
		if len(terms) == 0 {
			t.Errorf("%s has no terms", field)
		}
		for _, term := range terms {
			if m, _ := Meaning(field, term); len(m) < 10 {
				t.Errorf("%s %q: meaning %q is not a sentence", field, term, m)
			}
		}
	}
	if err := CheckTerm(FieldMetric, "kiled"); err == nil {
		t.Error("a term outside the vocabulary passed")
	}
}

func TestColumns(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Columns() {
		if c.Name == "" || c.Type == "" || c.Doc == "" || seen[c.Name] {
			t.Errorf("column %+v: name, type and doc are required, names unique", c)
		}
		seen[c.Name] = true
	}
	if Version() < 1 {
		t.Error("schema version unset")
	}
}
