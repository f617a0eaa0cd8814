// Package ucdpbgd is the ucdp_ged_bangladesh connector, declared in source.yaml (see README.md).
package ucdpbgd

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/ucdpbgd/source.yaml", spec)
}
