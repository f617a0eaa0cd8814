// Package crashpoint lets the crash-safety tests stop a toll process at a named point of a run (inside
// the load transaction, halfway through a snapshot export, just before LATEST moves) and kill it there,
// with SIGKILL or a signal toll handles.
//
// It is a no-op unless the environment variable TOLL_CRASH_AT names the point: then the process says so
// on stderr and waits there until it is killed, or until its context ends (SIGTERM, SIGINT), when it goes
// on as it would have, to meet the cancellation. Nothing else in toll reads that variable.
package crashpoint

import (
	"context"
	"fmt"
	"os"
)

// Points, in the order a run reaches them.
const (
	LoadBeforeCommit     = "load-before-commit"     // a source's rows are written, its transaction not committed
	LoadCommitted        = "load-committed"         // a source's load is committed; the next source, or the snapshot, not begun
	SnapshotHalfway      = "snapshot-halfway"       // some Parquet files of a snapshot are written, LATEST not moved
	SnapshotBeforeLatest = "snapshot-before-latest" // the snapshot's folder is complete, LATEST not moved
	RunBeforeRecord      = "run-before-record"      // LATEST is moved, the run's end not recorded
)

var at = os.Getenv("TOLL_CRASH_AT")

// Here waits at point, when TOLL_CRASH_AT names it, until ctx ends.
func Here(ctx context.Context, point string) {
	if at != point {
		return
	}
	fmt.Fprintf(os.Stderr, "crashpoint %s reached\n", point)
	<-ctx.Done()
}
