package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"toll/pipeline/publish"
)

func newPublishCmd(g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "publish URL",
		Short: "Copy the latest snapshot to object storage (s3://bucket/prefix?region=…, gs://, azblob://, file:///path)",
		Long: `Copy the snapshot LATEST names to URL unless the target's LATEST names it already: every file, then
the manifest, then snapshots/LATEST, so readers of the bucket never see a half-published snapshot. The
URL's path is a prefix inside the bucket (s3://bucket/team/toll writes team/toll/snapshots/…); a
file:/// folder is created if missing. Objects get their Content-Type, and a Cache-Control that lets
readers keep a snapshot's files for good and LATEST for a minute.

The target's LATEST never moves back to an older snapshot (a data directory restored from a backup,
another deployment's bucket): that exits 3 unless --force.

S3 credentials come from the standard AWS environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, ...); an
S3-compatible server takes ?endpoint=https://…&use_path_style=true. With publish: {url: …} in the config,
every toll run does this after its snapshot.
` + exitCodesHelp,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPublish(cmd.Context(), g, args[0], force)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "publish even when the target's LATEST names a newer snapshot, moving it back")
	return cmd
}

func runPublish(ctx context.Context, g *globals, url string, force bool) error {
	res, err := publish.Sync(ctx, g.dataDir, url, force)
	if errors.Is(err, publish.ErrOlder) {
		return &exitError{code: exitPartial, err: err}
	}
	if err != nil {
		return err
	}
	if res.ID == "" {
		fmt.Fprintln(g.stdout, "The target's LATEST names the latest snapshot already: nothing to publish.")
		return nil
	}
	fmt.Fprintf(g.stdout, "Published snapshot %s: %d objects, %.1f MB, under snapshots/%s/ of the target; its LATEST named %s before.\n",
		res.ID, res.Files, float64(res.Bytes)/1e6, res.ID, orNone(res.Remote))
	if len(res.Restricted) > 0 {
		fmt.Fprintf(g.stdout, "The terms of %d of its sources restrict their use; a public bucket may break them (toll sources --format json):\n  %s\n",
			len(res.Restricted), strings.Join(res.Restricted, "\n  "))
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
