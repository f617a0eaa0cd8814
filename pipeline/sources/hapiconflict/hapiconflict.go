// Package hapiconflict is the hdx_hapi_conflict_events connector, declared in source.yaml (see README.md).
package hapiconflict

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/hapiconflict/source.yaml", spec)
}
