// Package israelhostages is the israel_hostages_held source, declared in source.yaml: hostages still
// held in Gaza as Israeli officials counted them, curated by toll in data/bundle/israel-oct7.
package israelhostages

import (
	_ "embed"

	"toll/pipeline/source"
	"toll/pipeline/sources/declarative"
)

//go:embed source.yaml
var spec []byte

// New returns the connector.
func New() source.RowSource {
	return declarative.MustParse("pipeline/sources/israelhostages/source.yaml", spec)
}
