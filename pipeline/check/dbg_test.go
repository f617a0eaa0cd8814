package check

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDebugRegexCost(t *testing.T) {
	raw, _ := os.ReadFile("testdata/claims/dev-wide.jsonl")
	text := asciiLower(string(raw))
	lines := strings.Split(text, "\n")
	for name, ts := range map[string][]term{"place": placeTerms, "metric": metricTerms, "weak": weakPlaceTerms, "attr": attributionTerms} {
		for _, tm := range ts {
			start := time.Now()
			for _, l := range lines {
				tm.re.FindAllStringIndex(l, -1)
			}
			if d := time.Since(start); d > 20*time.Millisecond {
				fmt.Printf("%s %s %v %.60s\n", name, tm.value, d, tm.re.String())
			}
		}
	}
	for name, re := range map[string]interface{ FindAllStringIndex(string, int) [][]int }{"hist": historicalScopeRE, "period": periodScopeRE, "incident": incidentScopeRE, "cum": cumulativeScopeRE, "pp": presentPerfectRE, "timeref": timeReferenceRE, "aidTarget": aidTargetBeforeRE, "clock": clockRE, "day": dayListRE, "mday": monthDayListRE, "est": estimateRE, "roleverb": roleVerbRE, "rolebefore": roleBeforeRE} {
		start := time.Now()
		for _, l := range lines {
			re.FindAllStringIndex(l, -1)
		}
		fmt.Printf("%s %v\n", name, time.Since(start))
	}
}
