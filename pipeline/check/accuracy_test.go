package check

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func readLabelled(t testing.TB, path string) []LabelledSentence {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var set []LabelledSentence
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ls LabelledSentence
		if err := json.Unmarshal(sc.Bytes(), &ls); err != nil {
			t.Fatal(err)
		}
		set = append(set, ls)
	}
	return set
}

// Floors under which extraction has regressed. The aims are value F1 ≥ 0.90 and all-fields F1 ≥ 0.75
// on the dev set; `make accuracy` prints the current figures.
const (
	minValueF1     = 0.90
	minAllFieldsF1 = 0.75
)

func TestAccuracyOnDevSet(t *testing.T) {
	acc := Measure(readLabelled(t, "testdata/claims/dev.jsonl"))
	t.Logf("values:     %s", acc.Values)
	t.Logf("all fields: %s", acc.AllFields)
	t.Logf("sentences without figures: %d, of which %d got a figure anyway", acc.EmptySentences, acc.EmptyWithFigures)
	if os.Getenv("TOLL_ACCURACY_VERBOSE") != "" {
		t.Log("differences:\n" + strings.Join(acc.Mismatches, "\n"))
	}
	if acc.Values.F1() < minValueF1 || acc.AllFields.F1() < minAllFieldsF1 {
		t.Errorf("below the floor: value F1 %.3f (floor %.2f), all-fields F1 %.3f (floor %.2f)",
			acc.Values.F1(), minValueF1, acc.AllFields.F1(), minAllFieldsF1)
	}
}
