package idmcgidd_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"toll/pipeline/source/sourcetest"
	"toll/pipeline/sources/idmcgidd"
)

// pages serves the ten real GIDD pages by offset; their next links name IDMC's host, which the fetch
// moves onto the server it was pointed at.
func pages(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("client_id") != "test-key" {
			http.Error(w, "client_id required", http.StatusForbidden)
			return
		}
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		w.Write(sourcetest.Testdata(t, fmt.Sprintf("gidd-conflicts-page-%d.json", offset/100)))
	})
}

func TestGIDD(t *testing.T) {
	src := idmcgidd.New()
	res := sourcetest.Run(t, src, sourcetest.Fetch(t, src, pages(t), "/external-api/gidd/conflicts/?format=json&limit=100"))
	stock, ok := sourcetest.Find(res.Rows, "idmc_gidd_conflict/PSE/displaced/all/stock", "2023-12-31")
	flow, ok2 := sourcetest.Find(res.Rows, "idmc_gidd_conflict/PSE/displaced/all/period", "2023-12-31")
	if !ok || !ok2 || stock.Value != 1707498 || flow.Value != 3435904 || flow.PeriodStart.Format("2006-01-02") != "2023-01-01" {
		t.Errorf("PSE 2023: stock %+v, flow %+v; want 1,707,498 and 3,435,904 (SOURCES.md)", stock, flow)
	}
	sdn, ok := sourcetest.Find(res.Rows, "idmc_gidd_conflict/SDN/displaced/all/stock", "2024-12-31")
	if !ok || sdn.Value != 11559970 {
		t.Errorf("SDN 2024 stock: %+v, want 11,559,970", sdn)
	}
}
