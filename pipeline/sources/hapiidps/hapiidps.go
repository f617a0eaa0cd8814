// Package hapiidps is the hdx_hapi_idps connector, declared in source.yaml (see README.md).
package hapiidps

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/hapiidps/source.yaml", spec)
}
