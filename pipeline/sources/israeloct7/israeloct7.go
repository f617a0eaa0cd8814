// Package israeloct7 is the israel_oct7 source, declared in source.yaml: the 7 October 2023 attack's
// toll as officially stated, curated by toll in data/bundle/israel-oct7 (see the README there).
package israeloct7

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/israeloct7/source.yaml", spec)
}
