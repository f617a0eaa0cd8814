package check

import "testing"

// What each qualifier allows, with the data a report gave.
func TestHolds(t *testing.T) {
	tests := []struct {
		qualifier string
		value     int64
		data      int64
		want      bool
	}{
		{"exactly", 34943, 34943, true},
		{"exactly", 50000, 50021, true}, // the rounding the text uses
		{"exactly", 34900, 34943, true}, // cut to the figure's precision
		{"exactly", 40, 42, false},      // "40" is precise enough to mean 40
		{"over", 34900, 34971, true},    // from the figure to 5% above
		{"over", 34900, 36800, false},   // more than 5% above: not what "over" says
		{"nearly", 35000, 34100, true},  // up to 5% below
		{"nearly", 35000, 35100, false}, // above is not "nearly"
		{"about", 1200, 1250, true},     // within 5%
		{"about", 1250, 1180, false},    // 5.6% off a figure of several digits
		{"about", 1000, 936, true},      // one significant digit: within 10%
		{"up to", 500, 460, true},       // up to 10% below
		{"up to", 500, 520, false},      // above the bound
	}
	for _, tt := range tests {
		f := Figure{Qualifier: tt.qualifier, Value: &tt.value}
		if got := holds(f, tt.data); got != tt.want {
			t.Errorf("%s %d with data %d: holds = %v, want %v", tt.qualifier, tt.value, tt.data, got, tt.want)
		}
	}
}
