// Package hapireturnees is the hdx_hapi_returnees connector, declared in source.yaml (see README.md).
package hapireturnees

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/hapireturnees/source.yaml", spec)
}
