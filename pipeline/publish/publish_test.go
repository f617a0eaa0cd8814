package publish_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gocloud.dev/blob"

	"toll/pipeline/publish"
	"toll/pipeline/run"
	"toll/pipeline/snapshot"
	"toll/pipeline/sources/all"
)

// s3 starts versitygw, a real S3-compatible server (.ci/run builds it from the Go module proxy into
// .scratch/bin), over a fresh folder with a bucket "toll", and returns the URL of that bucket behind a
// proxy on loopback. failAfter > 0 makes the proxy answer 500 to every PUT after the first failAfter, as
// a connection lost halfway through a publish would.
func s3(t *testing.T, failAfter *atomic.Int32) string {
	t.Helper()
	bin := os.Getenv("TOLL_VERSITYGW")
	if bin == "" {
		bin = filepath.Join("..", "..", ".scratch", "bin", "versitygw")
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("TOLL_REQUIRE_TOOLS") != "" {
			t.Fatalf("versitygw: %v (.ci/run builds it)", err)
		}
		t.Skipf("versitygw is not built: GOBIN=$PWD/.scratch/bin go install github.com/versity/versitygw/cmd/versitygw@%s (%v)", versitygwVersion, err)
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "toll"), 0o755); err != nil { // a folder of the root is a bucket
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "--access", "toll-test", "--secret", "toll-test-secret", "--port", addr, "posix", root)
	var log bytes.Buffer // it logs every request; shown when a test fails
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("versitygw:\n%s", log.String())
		}
	})
	for deadline := time.Now().Add(20 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not listen on %s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	target, _ := url.Parse("http://" + addr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			if n := failAfter.Load(); n > 0 && puts.Add(1) > n {
				http.Error(w, "connection lost", http.StatusInternalServerError)
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "toll-test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "toll-test-secret")
	return "s3://toll?endpoint=" + srv.URL + "&region=us-east-1&use_path_style=true&disable_https=true"
}

// versitygwVersion is the version .ci/run builds.
const versitygwVersion = "v1.8.0"

// withPrefix puts a prefix into an s3:// URL's path.
func withPrefix(u, prefix string) string {
	return strings.Replace(u, "s3://toll?", "s3://toll/"+prefix+"?", 1)
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

// A publish to s3://bucket/prefix lands under the prefix, nothing at the bucket's root, each object with
// its Content-Type and Cache-Control, the bytes the manifest's sha256s name. One that fails halfway
// leaves LATEST on the previous complete snapshot, and the next publishes it.
func TestPublishToS3(t *testing.T) {
	var failAfter atomic.Int32
	root := s3(t, &failAfter)
	target := withPrefix(root, "team/toll")
	dir := t.TempDir()
	first := snapshotOf(t, dir, "tfp_lebanon_daily", "ucdp_ged")
	ctx := context.Background()
	if res, err := publish.Sync(ctx, dir, target, false); err != nil || res.ID != first || res.Remote != "" {
		t.Fatalf("Sync: %+v, %v", res, err)
	}
	bucket, err := blob.OpenBucket(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()
	keys := 0
	for it := bucket.List(nil); ; {
		obj, err := it.Next(ctx)
		if err != nil {
			break
		}
		keys++
		if !strings.HasPrefix(obj.Key, "team/toll/snapshots/") {
			t.Errorf("object %s is outside the prefix team/toll/", obj.Key)
		}
	}
	m, _ := snapshot.ReadManifest(dir, first)
	if keys != len(m.Files)+2 {
		t.Errorf("%d objects in the bucket, want the %d files, the manifest and LATEST", keys, len(m.Files))
	}
	for _, f := range m.Files {
		key := "team/toll/snapshots/" + first + "/" + f.Path
		b, err := bucket.ReadAll(ctx, key)
		sum := sha256.Sum256(b)
		if err != nil || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s: %v, sha256 %x, manifest %s", f.Path, err, sum, f.SHA256)
		}
		attrs, err := bucket.Attributes(ctx, key)
		want := "application/vnd.apache.parquet"
		if strings.HasSuffix(key, ".json") { // datapackage.json
			want = "application/json"
		}
		if err != nil || attrs.ContentType != want || !strings.Contains(attrs.CacheControl, "immutable") {
			t.Errorf("%s: Content-Type %q, Cache-Control %q (%v)", key, attrs.ContentType, attrs.CacheControl, err)
		}
	}
	if attrs, err := bucket.Attributes(ctx, "team/toll/snapshots/"+first+"/manifest.json"); err != nil || attrs.ContentType != "application/json" {
		t.Errorf("manifest: %+v, %v", attrs, err)
	}
	if attrs, err := bucket.Attributes(ctx, "team/toll/"+publish.LatestKey); err != nil || attrs.CacheControl != "public, max-age=60" {
		t.Errorf("LATEST: %+v, %v", attrs, err)
	}
	prefixed := blob.PrefixedBucket(bucket, "team/toll/")
	if latest, _ := publish.RemoteLatest(ctx, prefixed); latest != first {
		t.Errorf("remote LATEST %q, want %s", latest, first)
	}
	if res, err := publish.Sync(ctx, dir, target, false); err != nil || res.ID != "" {
		t.Errorf("second Sync: %+v, %v; want nothing to do", res, err)
	}

	// A publish that fails halfway leaves the remote LATEST on the previous complete snapshot...
	second := snapshotOf(t, dir, "tfp_lebanon_daily", "tfp_gaza_infrastructure")
	failAfter.Store(2)
	if _, err := publish.Sync(ctx, dir, target, false); err == nil || !strings.Contains(err.Error(), "publish") {
		t.Fatalf("Sync against a failing server: %v", err)
	}
	if latest, _ := publish.RemoteLatest(ctx, prefixed); latest != first {
		t.Errorf("remote LATEST moved to %q after a failed publish", latest)
	}
	// ...and the next Sync publishes it.
	failAfter.Store(0)
	if res, err := publish.Sync(ctx, dir, target, false); err != nil || res.ID != second || res.Remote != first {
		t.Errorf("retry: %+v, %v", res, err)
	}
	if latest, _ := publish.RemoteLatest(ctx, prefixed); latest != second {
		t.Errorf("remote LATEST %q, want %s", latest, second)
	}
}

// A data directory whose latest snapshot is older than the one the target's LATEST names (restored from
// a backup, or another deployment's) does not move LATEST back, unless forced.
func TestPublishNeverMovesLatestBack(t *testing.T) {
	var never atomic.Int32
	target := withPrefix(s3(t, &never), "shared")
	ctx := context.Background()
	older, newer := t.TempDir(), t.TempDir()
	old := snapshotOf(t, older, "tfp_lebanon_daily")
	time.Sleep(1100 * time.Millisecond) // snapshot ids and times are to the second
	recent := snapshotOf(t, newer, "tfp_lebanon_daily")
	if _, err := publish.Sync(ctx, newer, target, false); err != nil {
		t.Fatal(err)
	}
	_, err := publish.Sync(ctx, older, target, false)
	if !errors.Is(err, publish.ErrOlder) || !strings.Contains(err.Error(), recent) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("publishing an older snapshot: %v; want ErrOlder naming %s and --force", err, recent)
	}
	bucket, err := publish.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()
	if latest, _ := publish.RemoteLatest(ctx, bucket); latest != recent {
		t.Errorf("LATEST is %s after a refused publish, want %s", latest, recent)
	}
	if res, err := publish.Sync(ctx, older, target, true); err != nil || res.ID != old {
		t.Errorf("forced: %+v, %v", res, err)
	}
	if latest, _ := publish.RemoteLatest(ctx, bucket); latest != old {
		t.Errorf("LATEST is %s after a forced publish, want %s", latest, old)
	}
}

// file:///path is a folder, created if missing, laid out as a data directory's snapshots, with no
// sidecar files of attributes. The publish names the sources whose terms restrict their use.
func TestPublishToAFolder(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "not", "yet")
	id := snapshotOf(t, dir, "tfp_lebanon_daily", "iom_dtm_sudan")
	res, err := publish.Sync(context.Background(), dir, "file://"+out, false)
	if err != nil || res.ID != id {
		t.Fatalf("Sync: %+v, %v", res, err)
	}
	if len(res.Restricted) != 1 || res.Restricted[0] != "iom_dtm_sudan (non-commercial, no redistribution)" {
		t.Errorf("restricted sources %q, want IOM DTM's alone", res.Restricted)
	}
	if _, err := snapshot.ReadManifest(out, id); err != nil {
		t.Errorf("the folder does not hold the snapshot as toll lays it out: %v", err)
	}
	if latest, err := snapshot.Latest(out); err != nil || latest != id {
		t.Errorf("LATEST %q, %v", latest, err)
	}
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if strings.HasSuffix(path, ".attrs") {
			t.Errorf("a sidecar: %s", path)
		}
		return err
	})
}

// A URL that names its prefix twice is refused before anything is written.
func TestPublishURLs(t *testing.T) {
	if _, err := publish.Open(context.Background(), "s3://toll/a?prefix=b/&region=us-east-1"); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a prefix twice: %v", err)
	}
	if _, err := publish.Open(context.Background(), "toll-bucket"); err == nil {
		t.Error("a bare name was taken for a URL")
	}
}
