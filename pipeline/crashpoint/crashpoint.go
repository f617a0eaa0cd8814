// Package crashpoint lets the crash-safety tests stop a toll process at a named point of a run (inside
// the load transaction, halfway through a snapshot export) and kill it there with SIGKILL.
//
// It is a no-op unless the environment variable TOLL_CRASH_AT names the point: then the process says so
// on stderr and waits forever for the test to kill it. Nothing else in toll reads that variable.
package crashpoint

import (
	"fmt"
	"os"
)

// Points, in the order a run reaches them.
const (
	LoadBeforeCommit = "load-before-commit" // a source's rows are written, its transaction not committed
	SnapshotHalfway  = "snapshot-halfway"   // some Parquet files of a snapshot are written, LATEST not moved
)

var at = os.Getenv("TOLL_CRASH_AT")

// Here blocks forever when TOLL_CRASH_AT names point.
func Here(point string) {
	if at != point {
		return
	}
	fmt.Fprintf(os.Stderr, "crashpoint %s reached\n", point)
	select {}
}
