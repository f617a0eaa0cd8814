package load_test

import (
	"go/build"
	"slices"
	"testing"
)

// The stages after load, and the source conformance suite, read the warehouse through DuckDB and its
// tables, never through load's code: data flows one way.
func TestLaterStagesDoNotImportLoad(t *testing.T) {
	ctx := build.Default
	ctx.BuildTags = append(ctx.BuildTags, "duckdb_arrow")
	for _, dir := range []string{"../check", "../snapshot", "../serve", "../source/sourcetest"} {
		p, err := ctx.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(p.Imports, "toll/pipeline/load") {
			t.Errorf("%s imports toll/pipeline/load", p.ImportPath)
		}
	}
}
