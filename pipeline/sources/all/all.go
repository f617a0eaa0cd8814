// Package all is the one list of toll's built-in sources. Adding a connector means adding it here;
// nothing registers itself from an init function.
package all

import (
	"toll/pipeline/source"
	"toll/pipeline/sources/tfpgaza"
	"toll/pipeline/sources/tfpinfra"
	"toll/pipeline/sources/tfplebanon"
	"toll/pipeline/sources/tfpwestbank"
)

// Registry returns a new registry with every built-in source.
func Registry() *source.Registry {
	return source.NewRegistry(
		tfpgaza.New(),
		tfpwestbank.New(),
		tfplebanon.New(),
		tfpinfra.New(),
	)
}
