package check

import (
	"slices"
	"testing"

	"toll/schemas"
)

// Every term the extractor can emit is in schemas/claims.yaml, with its sentence.
func TestLexiconUsesTheClaimsVocabulary(t *testing.T) {
	areas := schemas.ClaimAreas()
	for _, ts := range [][]term{placeTerms, weakPlaceTerms} {
		for _, p := range ts {
			if _, ok := areas[p.value]; !ok && p.value != "palestinians" {
				t.Errorf("place term %s gives area %q, which schemas/claims.yaml lacks", p.re, p.value)
			}
		}
	}
	for _, a := range bareCountryArea {
		if _, ok := areas[a]; !ok {
			t.Errorf("area %q is not in schemas/claims.yaml", a)
		}
	}
	metrics := schemas.ClaimTerms("metric")
	for _, m := range metricTerms {
		if m.value != "hostage" && !slices.Contains(metrics, m.value) {
			t.Errorf("metric term %s gives %q, which schemas/claims.yaml lacks", m.re, m.value)
		}
	}
	for _, m := range []string{"taken_hostage", "held_hostage", shareMetric("killed"), shareMetric("displaced"), shareMetric("injured")} {
		if !slices.Contains(metrics, m) {
			t.Errorf("metric %q is not in schemas/claims.yaml", m)
		}
	}
	qualifiers := schemas.ClaimTerms("qualifier")
	for _, q := range append(qualifierTerms, term{value: vagueQualifier}, term{value: "exactly"}) {
		if !slices.Contains(qualifiers, q.value) {
			t.Errorf("qualifier %q is not in schemas/claims.yaml", q.value)
		}
	}
	for _, s := range []string{"cumulative", "period", "incident", "historical"} {
		if !slices.Contains(schemas.ClaimTerms("scope"), s) {
			t.Errorf("scope %q is not in schemas/claims.yaml", s)
		}
	}
	for _, r := range rules {
		if _, ok := areas[r.area]; !ok {
			t.Errorf("rule for %s has area %q, which schemas/claims.yaml lacks", r.series, r.area)
		}
	}
}
