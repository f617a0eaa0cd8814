package metrics

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"toll/pipeline/load"
	"toll/pipeline/run"
)

func TestTextfile(t *testing.T) {
	dir := t.TempDir()
	m := New(dir)
	now := time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC)
	m.Observe(run.Result{Status: load.StatusPartial, Sources: []load.SourceRun{
		{Source: "tfp_gaza_daily", Status: load.StatusOK, StartedAt: now, FinishedAt: now.Add(2 * time.Second), Stats: load.Stats{Rows: 12723}},
		{Source: "tfp_lebanon_daily", Status: load.StatusFailed, StartedAt: now, FinishedAt: now.Add(time.Second)},
	}})
	path := filepath.Join(dir, "metrics", "toll.prom")
	if err := m.WriteTextfile(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`toll_runs_total{status="partial"} 1`,
		`toll_source_runs_total{source="tfp_lebanon_daily",status="failed"} 1`,
		`toll_source_rows{source="tfp_gaza_daily"} 12723`,
		fmt.Sprintf(`toll_source_last_success_timestamp_seconds{source="tfp_gaza_daily"} %g`, float64(now.Add(2*time.Second).Unix())),
		`toll_snapshot_age_seconds -1`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("textfile lacks %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), `toll_source_last_success_timestamp_seconds{source="tfp_lebanon_daily"}`) {
		t.Error("a failed source got a last-success time")
	}
}
