package publish_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"gocloud.dev/blob"

	"toll/pipeline/publish"
	"toll/pipeline/run"
	"toll/pipeline/snapshot"
	"toll/pipeline/sources/all"
)

// s3 starts an S3-compatible server on loopback with a bucket; failAfter > 0 makes every PUT after the
// first failAfter answer 500, as a connection lost halfway through a publish would.
func s3(t *testing.T, failAfter *atomic.Int32) string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("toll"); err != nil {
		t.Fatal(err)
	}
	fake := gofakes3.New(backend).Server()
	var puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			if n := failAfter.Load(); n > 0 && puts.Add(1) > n {
				http.Error(w, "connection lost", http.StatusInternalServerError)
				return
			}
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	return "s3://toll?endpoint=" + srv.URL + "&region=us-east-1&use_path_style=true&disable_https=true"
}

func snapshotOf(t *testing.T, dir string, sources ...string) string {
	t.Helper()
	if _, err := run.Run(context.Background(), all.Registry(), run.Options{DataDir: dir, Offline: true,
		BundleDir: "../../data/bundle", Sources: sources}); err != nil {
		t.Fatal(err)
	}
	id, err := snapshot.Latest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPublishToS3(t *testing.T) {
	var failAfter atomic.Int32
	url := s3(t, &failAfter)
	dir := t.TempDir()
	first := snapshotOf(t, dir, "tfp_lebanon_daily")
	ctx := context.Background()
	if id, err := publish.Sync(ctx, dir, url); err != nil || id != first {
		t.Fatalf("Sync: %q, %v", id, err)
	}
	// Read back through the S3 API: the same bytes as the manifest's sha256s.
	bucket, err := blob.OpenBucket(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()
	m, _ := snapshot.ReadManifest(dir, first)
	for _, f := range m.Files {
		b, err := bucket.ReadAll(ctx, "snapshots/"+first+"/"+f.Path)
		sum := sha256.Sum256(b)
		if err != nil || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s: %v, sha256 %x, manifest %s", f.Path, err, sum, f.SHA256)
		}
	}
	if latest, _ := publish.RemoteLatest(ctx, bucket); latest != first {
		t.Errorf("remote LATEST %q, want %s", latest, first)
	}
	if id, err := publish.Sync(ctx, dir, url); err != nil || id != "" {
		t.Errorf("second Sync: %q, %v; want nothing to do", id, err)
	}

	// A publish that fails halfway leaves the remote LATEST on the previous complete snapshot...
	second := snapshotOf(t, dir, "tfp_lebanon_daily", "tfp_gaza_infrastructure")
	failAfter.Store(2)
	if _, err := publish.Sync(ctx, dir, url); err == nil || !strings.Contains(err.Error(), "publish") {
		t.Fatalf("Sync against a failing server: %v", err)
	}
	if latest, _ := publish.RemoteLatest(ctx, bucket); latest != first {
		t.Errorf("remote LATEST moved to %q after a failed publish", latest)
	}
	// ...and the next Sync publishes it.
	failAfter.Store(0)
	if id, err := publish.Sync(ctx, dir, url); err != nil || id != second {
		t.Errorf("retry: %q, %v", id, err)
	}
	if latest, _ := publish.RemoteLatest(ctx, bucket); latest != second {
		t.Errorf("remote LATEST %q, want %s", latest, second)
	}
}

func TestPublishToAFolder(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	id := snapshotOf(t, dir, "tfp_lebanon_daily")
	if got, err := publish.Sync(context.Background(), dir, "file://"+out); err != nil || got != id {
		t.Fatalf("Sync: %q, %v", got, err)
	}
	if _, err := snapshot.ReadManifest(out, id); err != nil {
		t.Errorf("the folder does not hold the snapshot as toll lays it out: %v", err)
	}
	if latest, err := snapshot.Latest(out); err != nil || latest != id {
		t.Errorf("LATEST %q, %v", latest, err)
	}
}
