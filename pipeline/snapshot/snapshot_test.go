package snapshot_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"toll/pipeline/load"
	"toll/pipeline/snapshot"
)

func TestWriteListVerify(t *testing.T) {
	dir := t.TempDir()
	w, err := load.Open(context.Background(), dir, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	now := time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC)
	first, err := snapshot.Write(context.Background(), w.DB(), dir, snapshot.Manifest{RunID: "r1"}, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A second snapshot in the same second gets its own folder.
	second, err := snapshot.Write(context.Background(), w.DB(), dir, snapshot.Manifest{RunID: "r2"}, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != "20261125T053000Z" || second.ID != "20261125T053000Z-2" {
		t.Errorf("ids %s, %s", first.ID, second.ID)
	}
	if id, _ := snapshot.Latest(dir); id != second.ID {
		t.Errorf("LATEST = %s, want %s", id, second.ID)
	}
	if len(first.Files) != 4 || first.SchemaVersion < 1 {
		t.Errorf("manifest %+v", first)
	}

	// An unfinished export (a folder that was never renamed into place) is not a snapshot.
	os.MkdirAll(filepath.Join(snapshot.Dir(dir), ".incoming-x"), 0o755)
	ms, err := snapshot.List(dir)
	if err != nil || len(ms) != 2 {
		t.Errorf("List: %d snapshots, %v; want 2", len(ms), err)
	}

	if err := snapshot.Verify(dir, second); err != nil {
		t.Errorf("Verify of an untouched snapshot: %v", err)
	}
	os.WriteFile(filepath.Join(snapshot.Path(dir, second.ID), snapshot.SeriesFile), []byte("tampered"), 0o644)
	if err := snapshot.Verify(dir, second); err == nil || !strings.Contains(err.Error(), snapshot.SeriesFile) {
		t.Errorf("Verify of a tampered file: %v", err)
	}
}

func TestLatestRefusesAPath(t *testing.T) {
	dir := t.TempDir()
	if _, err := snapshot.Latest(dir); err != snapshot.ErrNoSnapshot {
		t.Errorf("no snapshot: %v", err)
	}
	os.MkdirAll(snapshot.Dir(dir), 0o755)
	os.WriteFile(filepath.Join(snapshot.Dir(dir), snapshot.LatestFile), []byte("../../etc\n"), 0o644)
	if _, err := snapshot.Latest(dir); err == nil {
		t.Error("LATEST naming a path outside snapshots/ was accepted")
	}
}
