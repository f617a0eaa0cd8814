package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"toll/pipeline/publish"
)

func newPublishCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "publish URL",
		Short: "Copy the latest snapshot to object storage (s3://bucket/prefix?region=…, file:///path)",
		Long: `Copy the snapshot LATEST names to URL unless the bucket's LATEST names it already: every file, then
the manifest, then snapshots/LATEST, so readers of the bucket never see a half-published snapshot. S3
credentials come from the standard AWS environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, ...); an
S3-compatible server takes ?endpoint=https://…&use_path_style=true. With publish: {url: …} in the config,
every toll run does this after its snapshot.
` + exitCodesHelp,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPublish(cmd.Context(), g, args[0])
		},
	}
}

func runPublish(ctx context.Context, g *globals, url string) error {
	id, err := publish.Sync(ctx, g.dataDir, url)
	if err != nil {
		return err
	}
	if id == "" {
		fmt.Fprintln(g.stdout, "The bucket's LATEST names the latest snapshot already: nothing to publish.")
		return nil
	}
	fmt.Fprintf(g.stdout, "Published snapshot %s.\n", id)
	return nil
}
