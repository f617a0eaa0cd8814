package gedgen_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"toll/pipeline/sources/ucdpged/gedgen"
)

func TestWrite(t *testing.T) {
	header, templates, err := gedgen.Templates("../testdata/ged191.zip")
	if err != nil {
		t.Fatal(err)
	}
	var a, b, revised bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		if err := gedgen.Write(w, header, templates, gedgen.Options{Events: 500, Seed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same seed wrote different files")
	}
	if err := gedgen.Write(&revised, header, templates, gedgen.Options{Events: 500, Seed: 1, Revised: 10}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&a).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	next, err := csv.NewReader(&revised).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 501 || len(rows[0]) != 48 {
		t.Fatalf("%d rows of %d columns, want 501 of 48", len(rows), len(rows[0]))
	}
	changed := 0
	for i := range rows {
		if strings.Join(rows[i], ",") != strings.Join(next[i], ",") {
			changed++
		}
		if i > 0 && !strings.HasPrefix(rows[i][18], "SYNTHETIC") {
			t.Fatalf("row %d not labelled synthetic: %q", i, rows[i][18])
		}
	}
	if changed != 10 {
		t.Errorf("revised release differs in %d events, want 10", changed)
	}
}
