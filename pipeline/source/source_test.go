package source_test

import (
	"strings"
	"testing"

	"toll/pipeline/source"
	"toll/pipeline/sources/all"
	"toll/pipeline/sources/tfpgaza"
)

func TestBuiltInSourcesAreValid(t *testing.T) {
	reg := all.Registry()
	if len(reg.Names()) < 4 {
		t.Fatalf("only %d sources registered", len(reg.Names()))
	}
	for _, s := range reg.All() {
		if err := s.Spec().Validate(); err != nil {
			t.Error(err)
		}
	}
}

func TestRegisterPanicsOnDuplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	source.NewRegistry(tfpgaza.New(), tfpgaza.New())
}

func TestValidateNamesEveryProblem(t *testing.T) {
	spec := tfpgaza.New().Spec()
	spec.Name, spec.URL = "Gaza Daily", "ftp://example"
	spec.Series[0].Metric = "slain"
	err := spec.Validate()
	for _, want := range []string{`name "Gaza Daily"`, `url "ftp://example"`, `metric "slain"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %s", err, want)
		}
	}
}
