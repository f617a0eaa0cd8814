package dtmsudan_test

import (
	"testing"

	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/dtmsudan"
)

func TestSudanIDPs(t *testing.T) {
	res := sourcetest.Run(t, dtmsudan.New(), sourcetest.Testdata(t, "v2-legacy-idpadmin0data-getadmin0datav2-admin0pcode-sdn.json"))
	o, ok := sourcetest.Find(res.Rows, "iom_dtm_sudan/SDN/displaced/all/stock/armed_clashes_in_sudan_overview", "2024-07-31")
	if !ok || o.Value != 10710015 {
		t.Errorf("Sudan 2024-07-31: %+v (found %v), want 10,710,015 (SOURCES.md)", o, ok)
	}
}

// v3 answers have the same fields, split by reason of displacement; the file reads them too.
func TestV3Shape(t *testing.T) {
	res := sourcetest.Run(t, dtmsudan.New(), sourcetest.Testdata(t, "v3-displacement-admin0-admin0pcode-hti.json"))
	o, ok := sourcetest.Find(res.Rows, "iom_dtm_sudan/HTI/displaced/all/stock/haiti_earthquake", "2010-11-30")
	if !ok || o.Value != 1068882 {
		t.Errorf("Haiti 2010-11-30: %+v (found %v), want 1,068,882", o, ok)
	}
}
