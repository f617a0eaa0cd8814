// Package schemas holds the data contract of toll: the columns of the observation table and the closed
// vocabularies (metric, subgroup, measure, basis), each term with a sentence saying what it means.
//
// The YAML files beside this file are the source of truth; they are embedded so the binary, the
// warehouse DDL, the snapshot docs and the tests all read the same list. This package must not import
// any other toll package.
package schemas

import (
	_ "embed"
	"fmt"
	"sort"

	"github.com/goccy/go-yaml"
)

//go:embed vocabulary.yaml
var vocabularyYAML []byte

//go:embed observation.yaml
var observationYAML []byte

//go:embed claims.yaml
var claimsYAML []byte

// ClaimArea is an area a claim can be about.
type ClaimArea struct {
	Country string `yaml:"country"` // ISO 3166-1 alpha-3; empty for an area of several countries
	Doc     string `yaml:"doc"`
}

// claimsFile is claims.yaml: the vocabularies of toll check's claims.
type claimsFile struct {
	Area      map[string]ClaimArea `yaml:"area"`
	Metric    map[string]string    `yaml:"metric"`
	Scope     map[string]string    `yaml:"scope"`
	Qualifier map[string]string    `yaml:"qualifier"`
}

// Vocabulary maps each field (metric, subgroup, measure, basis) to its terms and their meanings.
type Vocabulary map[string]map[string]string

// Fields of the observation that take a closed vocabulary.
const (
	FieldMetric   = "metric"
	FieldSubgroup = "subgroup"
	FieldMeasure  = "measure"
	FieldBasis    = "basis"
)

// Column is one column of the observation table.
type Column struct {
	Name     string `yaml:"name"`
	Type     string `yaml:"type"`
	Nullable bool   `yaml:"nullable"`
	Doc      string `yaml:"doc"`
}

type observationFile struct {
	Version int      `yaml:"version"`
	Columns []Column `yaml:"columns"`
}

var (
	vocabulary  Vocabulary
	observation observationFile
	claims      claimsFile
)

func init() {
	// The files are compiled in, so a parse error is a build defect, caught by every test run.
	if err := yaml.UnmarshalWithOptions(vocabularyYAML, &vocabulary, yaml.Strict()); err != nil {
		panic(fmt.Sprintf("schemas: vocabulary.yaml: %v", err))
	}
	if err := yaml.UnmarshalWithOptions(observationYAML, &observation, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
		panic(fmt.Sprintf("schemas: observation.yaml: %v", err))
	}
	if err := yaml.UnmarshalWithOptions(claimsYAML, &claims, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
		panic(fmt.Sprintf("schemas: claims.yaml: %v", err))
	}
}

// Version is the version of the observation schema, written into every snapshot manifest.
func Version() int { return observation.Version }

// Columns returns the observation columns in table order.
func Columns() []Column { return append([]Column(nil), observation.Columns...) }

// Terms returns the sorted terms of one vocabulary field.
func Terms(field string) []string {
	var terms []string
	for t := range vocabulary[field] {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	return terms
}

// Meaning returns the sentence that defines term in field, and whether the term exists.
func Meaning(field, term string) (string, bool) {
	m, ok := vocabulary[field][term]
	return m, ok
}

// CheckTerm returns an error when term is not in the closed vocabulary of field.
func CheckTerm(field, term string) error {
	if _, ok := vocabulary[field]; !ok {
		return fmt.Errorf("schemas: no vocabulary for field %q", field)
	}
	if _, ok := vocabulary[field][term]; !ok {
		return fmt.Errorf("%s %q is not in the vocabulary (schemas/vocabulary.yaml)", field, term)
	}
	return nil
}

// ClaimAreas returns the areas a claim can be about, by name.
func ClaimAreas() map[string]ClaimArea {
	out := map[string]ClaimArea{}
	for k, v := range claims.Area {
		out[k] = v
	}
	return out
}

// ClaimTerms returns the sorted terms of a claim vocabulary: "metric", "scope" or "qualifier".
func ClaimTerms(field string) []string {
	m := map[string]map[string]string{"metric": claims.Metric, "scope": claims.Scope, "qualifier": claims.Qualifier}[field]
	var terms []string
	for t := range m {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	return terms
}
