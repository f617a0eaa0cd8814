//go:build duckdb_arrow

package serve_test

import (
	"encoding/json"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// A client that asks for Arrow gets the same rows as JSON, as an Arrow IPC stream.
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
