// Package all is the one list of toll's built-in sources. Adding a connector means adding it here;
// nothing registers itself from an init function.
package all

import (
	"toll/pipeline/source"
	"toll/pipeline/sources/acledct"
	"toll/pipeline/sources/acledpv"
	"toll/pipeline/sources/dtmsudan"
	"toll/pipeline/sources/hapiconflict"
	"toll/pipeline/sources/hapiidps"
	"toll/pipeline/sources/hapireturnees"
	"toll/pipeline/sources/idmcgidd"
	"toll/pipeline/sources/israelhostages"
	"toll/pipeline/sources/israeloct7"
	"toll/pipeline/sources/israelsoldiers"
	"toll/pipeline/sources/tfpgaza"
	"toll/pipeline/sources/tfpinfra"
	"toll/pipeline/sources/tfplebanon"
	"toll/pipeline/sources/tfpwestbank"
	"toll/pipeline/sources/ucdpbgd"
	"toll/pipeline/sources/ucdpged"
	"toll/pipeline/sources/unhcrsudan"
)

// Registry returns a new registry with every built-in source.
func Registry() *source.Registry {
	return source.NewRegistry(
		tfpgaza.New(),
		tfpwestbank.New(),
		tfplebanon.New(),
		tfpinfra.New(),
		israelsoldiers.New(),
		israeloct7.New(),
		israelhostages.New(),
		hapiconflict.New(),
		hapiidps.New(),
		hapireturnees.New(),
		acledpv.New(),
		acledct.New(),
		idmcgidd.New(),
		dtmsudan.New(),
		unhcrsudan.New(),
		ucdpbgd.New(),
		ucdpged.Release(),
		ucdpged.Candidate(),
	)
}
