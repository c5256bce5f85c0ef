package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func init() {
	if Version == "dev" {
		if info, ok := debug.ReadBuildInfo(); ok {
			Version = buildVersion(info)
		}
	}
}

// buildVersion is the version of a binary built without the release
// ldflags: the module version for `go install ...@vX.Y.Z`, else the VCS
// revision and time that go build stamps from a git checkout, else "dev".
func buildVersion(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	parts := []string{rev}
	if at != "" {
		parts = append(parts, at)
	}
	if modified {
		parts = append(parts, "modified")
	}
	return "dev (" + strings.Join(parts, ", ") + ")"
}

// NewCmdVersion builds `okr version`, which prints the version: the release
// tag stamped by the release build, or what the Go toolchain recorded.
func NewCmdVersion(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the okr version",
		Long: `Print the okr version: the release tag for a release build, the module
version for 'go install github.com/okrkit/okr/cmd/okr@VERSION', or the git
revision a source build was made from.`,
		Example: `  okr version`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(env.IO.Out, "okr %s\n", Version)
			return err
		},
	}
}
