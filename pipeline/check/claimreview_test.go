package check_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"toll/pipeline/check"
)

// vocabulary is schema.org's: its classes with their superclasses, and its properties with the classes
// they apply to and the classes their values may have.
type vocabulary struct {
	superclasses map[string][]string
	properties   map[string]property
}

type property struct {
	domain, rangeOf []string
	supersededBy    string
}

func loadVocabulary(t *testing.T) vocabulary {
	t.Helper()
	f, err := os.Open("testdata/schemaorg/schemaorg-current-https-30.0.jsonld.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	// ids reads a node's reference or list of references, as schema names ("schema:Text" → "Text").
	ids := func(v any) []string {
		var out []string
		var one func(v any)
		one = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				if id, ok := v["@id"].(string); ok {
					out = append(out, strings.TrimPrefix(id, "schema:"))
				}
			case string:
				out = append(out, strings.TrimPrefix(v, "schema:"))
			case []any:
				for _, e := range v {
					one(e)
				}
			}
		}
		one(v)
		return out
	}
	voc := vocabulary{superclasses: map[string][]string{}, properties: map[string]property{}}
	for _, n := range doc.Graph {
		id, _ := n["@id"].(string)
		if !strings.HasPrefix(id, "schema:") {
			continue
		}
		name := strings.TrimPrefix(id, "schema:")
		types := ids(n["@type"])
		for _, typ := range types {
			switch typ {
			case "rdfs:Class", "DataType":
				voc.superclasses[name] = append(voc.superclasses[name], ids(n["rdfs:subClassOf"])...)
			case "rdf:Property":
				p := property{domain: ids(n["schema:domainIncludes"]), rangeOf: ids(n["schema:rangeIncludes"])}
				if s := ids(n["schema:supersededBy"]); len(s) > 0 {
					p.supersededBy = s[0]
				}
				voc.properties[name] = p
			}
		}
	}
	return voc
}

// is says whether class is of, or a subclass of it.
func (v vocabulary) is(class, of string) bool {
	seen := map[string]bool{}
	next := []string{class}
	for len(next) > 0 {
		c := next[0]
		next = next[1:]
		if c == of {
			return true
		}
		if !seen[c] {
			seen[c] = true
			next = append(next, v.superclasses[c]...)
		}
	}
	return false
}

// validate returns what in a JSON-LD object does not fit the vocabulary, each named by its path.
func (v vocabulary) validate(obj map[string]any, path string) []string {
	var problems []string
	typ, _ := obj["@type"].(string)
	if _, ok := v.superclasses[typ]; !ok {
		return []string{fmt.Sprintf("%s: @type %q is not a schema.org type", path, typ)}
	}
	for key, val := range obj {
		if key == "@type" || key == "@context" {
			continue
		}
		at := path + "." + key
		p, ok := v.properties[key]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: %q is not a schema.org property", at, key))
			continue
		case p.supersededBy != "":
			problems = append(problems, fmt.Sprintf("%s: %q is superseded by %q", at, key, p.supersededBy))
		}
		if !slicesAny(p.domain, func(d string) bool { return v.is(typ, d) }) {
			problems = append(problems, fmt.Sprintf("%s: %q does not apply to a %s (domain %v)", at, key, typ, p.domain))
		}
		switch val := val.(type) {
		case map[string]any:
			t, _ := val["@type"].(string)
			if !slicesAny(p.rangeOf, func(r string) bool { return v.is(t, r) }) {
				problems = append(problems, fmt.Sprintf("%s: a %s is not in the range %v", at, t, p.rangeOf))
			}
			problems = append(problems, v.validate(val, at)...)
		case string:
			if !slicesAny(p.rangeOf, func(r string) bool { return r == "Text" || r == "Date" || r == "DateTime" || v.is(r, "Text") }) {
				problems = append(problems, fmt.Sprintf("%s: text where the range is %v", at, p.rangeOf))
			}
		case float64:
			if !slicesAny(p.rangeOf, func(r string) bool { return v.is(r, "Number") }) {
				problems = append(problems, fmt.Sprintf("%s: a number where the range is %v", at, p.rangeOf))
			}
		default:
			problems = append(problems, fmt.Sprintf("%s: a %T", at, val))
		}
	}
	return problems
}

func slicesAny(list []string, f func(string) bool) bool {
	for _, s := range list {
		if f(s) {
			return true
		}
	}
	return false
}

// Every verdict as ClaimReview JSON-LD fits the schema.org vocabulary, names the report it rests on
// (publisher, report date, the source's URL, the snapshot) and the article's address when known.
func TestClaimReviewsFitSchemaOrg(t *testing.T) {
	voc := loadVocabulary(t)
	text := "The Gaza health ministry said on Saturday that 34,971 people had been killed. " +
		"Over 34,900 Palestinians and 1,455 Israelis have suffered fatalities. " +
		"More than 1,000 civilians have been killed in Sudan's El Fasher."
	claims, err := checker.CheckText(text, date("2024-05-12"))
	if err != nil || len(claims) < 2 {
		t.Fatalf("%d claims, %v", len(claims), err)
	}
	reviews := check.ClaimReviews(claims, date("2024-05-12"), "https://example.org/article", "toll", time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
	verdicts := map[string]bool{}
	for i, cr := range reviews {
		raw, err := json.Marshal(cr)
		if err != nil {
			t.Fatal(err)
		}
		var obj map[string]any
		if err := json.Unmarshal(raw, &obj); err != nil {
			t.Fatal(err)
		}
		if obj["@context"] != "https://schema.org" {
			t.Errorf("review %d: @context %v", i, obj["@context"])
		}
		for _, p := range voc.validate(obj, fmt.Sprintf("review %d", i)) {
			t.Error(p)
		}
		verdicts[claims[i].Verdict] = true
		if claims[i].Derived != nil && len(claims[i].Derived.Parts) > 0 {
			// "1,455 Israelis": a sum toll built from its parts, which the explanation names.
			if d := cr.IsBasedOn; d == nil || !strings.HasPrefix(d.Name, "sum of ") || d.Publisher.Name != "toll" ||
				!strings.Contains(cr.ReviewRating.RatingExplanation, "israel_soldiers") && !strings.Contains(cr.ReviewRating.RatingExplanation, "soldiers killed in Gaza") {
				t.Errorf("review %d of a sum rests on %+v: %s", i, d, cr.ReviewRating.RatingExplanation)
			}
		} else if claims[i].Data != nil {
			d := cr.IsBasedOn
			if d == nil || d.URL != "https://data.techforpalestine.org/api/v2/casualties_daily.json" || d.TemporalCoverage == "" ||
				d.Publisher.Name != "Gaza Ministry of Health" || !strings.Contains(d.Version, checker.SnapshotID()) {
				t.Errorf("review %d rests on %+v, want the ministry's report, its source's URL and the snapshot", i, d)
			}
		}
		if cr.ItemReviewed.Appearance == nil || cr.ItemReviewed.Appearance.URL != "https://example.org/article" {
			t.Errorf("review %d: the article's address is missing", i)
		}
	}
	if !verdicts[check.VerdictConsistent] || !verdicts[check.VerdictNoData] {
		t.Errorf("verdicts %v: want a consistent one and one without data, to validate both shapes", verdicts)
	}
}

// The validator finds what does not fit: an unknown property, a property on a type it does not apply to,
// a value outside its range.
func TestSchemaOrgValidatorRejects(t *testing.T) {
	voc := loadVocabulary(t)
	for _, bad := range []string{
		`{"@type": "ClaimReview", "claimReviwed": "x"}`,
		`{"@type": "Rating", "claimReviewed": "x"}`,
		`{"@type": "ClaimReview", "reviewRating": {"@type": "Person", "name": "x"}}`,
		`{"@type": "Claimreview"}`,
	} {
		var obj map[string]any
		if err := json.Unmarshal([]byte(bad), &obj); err != nil {
			t.Fatal(err)
		}
		if len(voc.validate(obj, "x")) == 0 {
			t.Errorf("%s passed", bad)
		}
	}
}
