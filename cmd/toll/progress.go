package main

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// terminalProgress draws progress bars on a terminal's stderr; toll uses it only when stderr is one, so
// logs collected by cron or systemd carry no bars.
type terminalProgress struct {
	out    io.Writer
	export *progressbar.ProgressBar
}

func newProgress(stderr io.Writer) *terminalProgress {
	if f, ok := stderr.(*os.File); !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	return &terminalProgress{out: stderr}
}

func (p *terminalProgress) Download(name string, size int64, body io.Reader) io.Reader {
	bar := progressbar.NewOptions64(size, progressbar.OptionSetWriter(p.out), progressbar.OptionSetDescription(name),
		progressbar.OptionShowBytes(true), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100_000_000))
	r := progressbar.NewReader(body, bar)
	return &r
}

func (p *terminalProgress) Export(done, total int) {
	if p.export == nil {
		p.export = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.out), progressbar.OptionSetDescription("snapshot"),
			progressbar.OptionClearOnFinish())
	}
	p.export.Set(done)
}
