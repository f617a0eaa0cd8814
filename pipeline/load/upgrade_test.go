package load

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"toll/pipeline/duck"
	"toll/schemas"
)

// A warehouse written by schema version 1 (no record_id) opens as the current version with its rows
// kept and the columns in schema order.
func TestUpgradeFromSchema1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := duck.Open(filepath.Join(dir, FileName), duck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var v1 []string
	for _, c := range schemas.Columns() {
		if c.Name != "record_id" {
			v1 = append(v1, c.Name+" "+c.Type)
		}
	}
	for _, s := range []string{
		`CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
		`INSERT INTO meta VALUES ('schema_version', '1'), ('ddl_version', '2')`,
		`CREATE TABLE observations (` + strings.Join(v1, ", ") + `, superseded_at TIMESTAMPTZ)`,
		`INSERT INTO observations VALUES ('tfp_gaza_daily', 'tfp_gaza_daily/PS02/killed/all/cumulative', 'PSE', 'PS02',
  'Gaza Strip', NULL, NULL, 'killed', 'all', 'cumulative', '2023-10-07', '2023-10-07', '2023-10-07', 232, NULL, NULL,
  'reported', 'Gaza Ministry of Health', 'Tech for Palestine', 'abc', '2024-05-11 00:00:00+00', 'run1', NULL)`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()

	w, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var value int64
	var record *string
	var version string
	if err := w.DB().QueryRow(`SELECT value, record_id FROM observations`).Scan(&value, &record); err != nil || value != 232 || record != nil {
		t.Errorf("row after upgrade: value %d, record_id %v, err %v", value, record, err)
	}
	if err := w.DB().QueryRow(`SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&version); err != nil || version != fmt.Sprint(schemas.Version()) {
		t.Errorf("schema_version %q, %v; want %d", version, err, schemas.Version())
	}
	var cols []string
	rows, err := w.DB().Query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'observations' ORDER BY ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, c)
	}
	if got, want := strings.Join(cols, ","), ObservationColumnNames()+", superseded_at"; got != strings.ReplaceAll(want, " ", "") {
		t.Errorf("columns after upgrade:\n%s\nwant\n%s", got, want)
	}
}
