//go:build duckdb_arrow

package serve_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// A client that asks for Arrow gets the same rows as JSON, as an Arrow IPC stream whose schema names the
// snapshot.
func TestSeriesAsArrow(t *testing.T) {
	srv, _ := server(t)
	u := srv.URL + "/api/series/tfp_gaza_daily/PS02/killed/all/cumulative?to=2024-05-11"
	var js struct{ Rows []struct{ Value int64 } }
	_, body := get(t, request(t, "GET", u, nil))
	if err := json.Unmarshal(body, &js); err != nil || len(js.Rows) == 0 {
		t.Fatalf("json: %v %s", err, body)
	}
	resp, err := srv.Client().Do(request(t, "GET", u, nil, "Accept", "application/vnd.apache.arrow.stream"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.apache.arrow.stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	rdr, err := ipc.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Release()
	if id, ok := rdr.Schema().Metadata().GetValue("toll_snapshot"); !ok || id != resp.Header.Get("X-Toll-Snapshot") || id == "" {
		t.Errorf("the stream's schema names the snapshot %q, the answer %q", id, resp.Header.Get("X-Toll-Snapshot"))
	}
	var values []int64
	for rdr.Next() {
		rec := rdr.RecordBatch()
		col := rec.Column(int(rec.Schema().FieldIndices("value")[0])).(*array.Int64)
		values = append(values, col.Int64Values()...)
	}
	if rdr.Err() != nil || len(values) != len(js.Rows) || values[len(values)-1] != js.Rows[len(js.Rows)-1].Value ||
		values[len(values)-1] != 34971 {
		t.Errorf("arrow: %d values ending %v, err %v; json %d rows; want the same, ending 34971", len(values), values[len(values)-1:], rdr.Err(), len(js.Rows))
	}
}

// The Arrow file format is served too, with the same rows; an unknown series is 404, and a media type
// the API does not answer is 406, never JSON in its place.
func TestSeriesAsArrowFile(t *testing.T) {
	srv, _ := server(t)
	u := srv.URL + "/api/series/tfp_gaza_daily/PS02/killed/all/cumulative?to=2024-05-11"
	resp, body := get(t, request(t, "GET", u, nil, "Accept", "application/vnd.apache.arrow.file"))
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "application/vnd.apache.arrow.file" {
		t.Fatalf("%d, Content-Type %q", resp.StatusCode, ct)
	}
	fr, err := ipc.NewFileReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	var last int64
	rows := 0
	for i := range fr.NumRecords() {
		rec, err := fr.RecordBatch(i)
		if err != nil {
			t.Fatal(err)
		}
		col := rec.Column(int(rec.Schema().FieldIndices("value")[0])).(*array.Int64)
		rows += col.Len()
		last = col.Value(col.Len() - 1)
	}
	if id, _ := fr.Schema().Metadata().GetValue("toll_snapshot"); rows == 0 || last != 34971 || id == "" {
		t.Errorf("arrow file: %d rows ending %d, snapshot %q; want rows ending 34971 and the snapshot", rows, last, id)
	}
	if resp, _ := get(t, request(t, "GET", srv.URL+"/api/series/tfp_gaza_daily/PS02/kiled/all/cumulative", nil)); resp.StatusCode != 404 {
		t.Errorf("an unknown series: %d, want 404", resp.StatusCode)
	}
	if resp, _ := get(t, request(t, "GET", u, nil, "Accept", "text/csv")); resp.StatusCode != 406 {
		t.Errorf("Accept: text/csv: %d, want 406", resp.StatusCode)
	}
}
