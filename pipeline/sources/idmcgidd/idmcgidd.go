// Package idmcgidd is the idmc_gidd_conflict connector, declared in source.yaml (see README.md).
package idmcgidd

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/idmcgidd/source.yaml", spec)
}
