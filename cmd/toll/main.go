// Command toll keeps a versioned record of conflict casualty and displacement statistics and checks the
// figures articles quote against it. See README.md at the repository root.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"toll/pipeline/run"
)

// version is set at build time by the Makefile (git describe).
var version = "dev"

// Exit codes are part of toll's interface; every command's help lists the ones it uses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitPartial     = 3
	exitLocked      = 4
	exitInterrupted = 130
)

const exitCodesHelp = `
Exit codes:
  0    success
  1    failure
  2    usage error
  3    partial: part of the work failed (a source, a batch line, a publish), the rest was done
  4    another run holds the data directory's lock
  130  interrupted (SIGINT or SIGTERM)`

// exitError carries an exit code other than the one an error's kind implies.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func exitCode(err error) int {
	var ee *exitError
	var locked *run.LockedError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &locked):
		return exitLocked
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return exitFailure
}

// globals are the flags every command takes.
type globals struct {
	dataDir  string
	logLevel string
	stdout   io.Writer
	stderr   io.Writer
}

// logger logs to stderr: readable text on a terminal, JSON lines otherwise (cron, systemd, CI).
func (g *globals) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if f, ok := g.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		return slog.New(slog.NewTextHandler(g.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(g.stderr, opts))
}

func defaultDataDir() string {
	if d := os.Getenv("TOLL_DATA_DIR"); d != "" {
		return d
	}
	return "data/warehouse"
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "toll",
		Short: "A versioned record of conflict casualty and displacement statistics, and a checker for the figures articles quote",
		Long: `toll fetches public casualty and displacement datasets, keeps every version of them in a DuckDB
warehouse, publishes Parquet snapshots, and checks the figures articles quote against them.` + "\n" + exitCodesHelp,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(g.stdout)
	root.SetErr(g.stderr)
	root.PersistentFlags().StringVar(&g.dataDir, "data-dir", defaultDataDir(), "data directory (env TOLL_DATA_DIR)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "debug, info, warn or error")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exitError{code: exitUsage, err: err} })
	root.AddCommand(newRunCmd(g), newSourcesCmd(g), newSnapshotsCmd(g), newQueryCmd(g), newCheckCmd(g), newStatusCmd(g), newScheduleCmd(g), newCompareCmd(g), newServeCmd(g), newPublishCmd(g), newExportCmd(g))
	return root
}

// usageArgs wraps a cobra argument check so that its error exits 2.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		return nil
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g := &globals{stdout: os.Stdout, stderr: os.Stderr}
	root := newRootCmd(g)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		code := exitCode(err)
		if code == exitFailure && cmd == root && len(os.Args) > 1 {
			code = exitUsage // unknown command
		}
		fmt.Fprintln(os.Stderr, "toll:", err)
		stop()
		os.Exit(code)
	}
}
