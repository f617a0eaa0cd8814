// Package acledpv is the acled_hdx_political_violence connector, declared in source.yaml (see README.md).
package acledpv

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/acledpv/source.yaml", spec)
}
