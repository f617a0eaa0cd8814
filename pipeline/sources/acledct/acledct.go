// Package acledct is the acled_hdx_civilian_targeting connector, declared in source.yaml (see README.md).
package acledct

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/acledct/source.yaml", spec)
}
