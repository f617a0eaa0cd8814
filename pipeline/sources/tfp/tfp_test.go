package tfp_test

import (
	"errors"
	"testing"

	"toll/pipeline/obs"
	"toll/pipeline/source"
	"toll/pipeline/sources/tfpgaza"
	"toll/pipeline/sources/tfpinfra"
	"toll/pipeline/sources/tfplebanon"
	"toll/pipeline/sources/tfpwestbank"
)

// FuzzNormalize feeds arbitrary bytes to the TfP parsers: they must return rows or an *obs.RowError,
// never panic or hang.
func FuzzNormalize(f *testing.F) {
	f.Add([]byte(`[{"report_date":"2024-05-09","report_source":"mohtel","report_period":48,"killed":60,"killed_cum":34904,"ext_killed_cum":34904}]`))
	f.Add([]byte(`[{"report_date":"2024-05-10","verified":{"killed_cum":480},"killed_cum":480,"flash_source":"fill"}]`))
	f.Add([]byte(`[{"report_date":"2025-10-05","residential":{"destroyed":416000,"ext_destroyed":416000}}]`))
	f.Add([]byte(`[{"report_date":"2024-01-01","killed_cum":1e30}]`))
	f.Add([]byte(`[null, 3, "x"]`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		for _, src := range []source.RowSource{tfpgaza.New(), tfpwestbank.New(), tfplebanon.New(), tfpinfra.New()} {
			if _, err := src.Normalize(payload); err != nil && !errors.Is(err, obs.ErrInvalid) {
				t.Fatalf("error is not an input error: %v", err)
			}
		}
	})
}
