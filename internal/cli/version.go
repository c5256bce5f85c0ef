package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Commit and Date are stamped by the release build next to Version
// (-ldflags "-X github.com/okrkit/okr/internal/cli.Commit=... -X ...Date=...").
var Commit, Date string

func init() {
	if info, ok := debug.ReadBuildInfo(); ok {
		build = buildInfo(info, Version, Commit, Date)
	} else {
		build = BuildInfo{Version: Version, Commit: Commit, Date: Date, Go: runtime.Version()}
	}
	Version = build.Version
}

// build is what okr knows of its own build.
var build BuildInfo

// BuildInfo is what `okr version --format json` prints.
type BuildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"date,omitempty"`
	Go      string `json:"go"`
	// Modified is set for a source build from a checkout with changes.
	Modified bool `json:"modified,omitempty"`
}

// buildInfo finds the best version it can: the ldflags' (a release
// build), else the module version (go install ...@vX.Y.Z), else the VCS
// revision go build stamps from a git checkout ("dev (REV, TIME)"), else
// "dev". Commit and date come from the ldflags, else the VCS stamp.
func buildInfo(info *debug.BuildInfo, version, commit, date string) BuildInfo {
	b := BuildInfo{Version: version, Commit: commit, Date: date, Go: info.GoVersion}
	if b.Go == "" {
		b.Go = runtime.Version()
	}
	var rev, at string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	if b.Commit == "" {
		b.Commit = rev
	}
	if b.Date == "" {
		b.Date = at
	}
	if b.Version != "" && b.Version != "dev" {
		return b
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		b.Version = v
		return b
	}
	b.Version = "dev"
	if rev == "" {
		return b
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	parts := []string{rev}
	if at != "" {
		parts = append(parts, at)
	}
	if b.Modified {
		parts = append(parts, "modified")
	}
	b.Version = "dev (" + strings.Join(parts, ", ") + ")"
	return b
}

// buildVersion is buildInfo's version for a build without ldflags.
func buildVersion(info *debug.BuildInfo) string { return buildInfo(info, "dev", "", "").Version }

// NewCmdVersion builds `okr version`, which prints the version: the release
// tag stamped by the release build, or what the Go toolchain recorded.
func NewCmdVersion(env Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the okr version",
		Long: `Print the okr version: the release tag for a release build (stamped with
-ldflags), the module version for 'go install github.com/okrkit/okr/cmd/okr@VERSION',
or the git revision a source build was made from; "dev" when the build
recorded none of these (go build -buildvcs=false without -ldflags).
--format json adds the commit, its date and the Go version.`,
		Example: `  okr version
  okr version --format json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "", "text":
				line := "okr " + build.Version
				if build.Version == "dev" {
					line += " (no version recorded: built without -ldflags and with -buildvcs=false; " + build.Go + ")"
				}
				_, err := fmt.Fprintln(env.IO.Out, line)
				return err
			case "json":
				b, err := json.MarshalIndent(build, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(env.IO.Out, "%s\n", b)
				return err
			}
			return usageError{fmt.Errorf("unknown format %q (want text or json)", format)}
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output `FORMAT`: text, json")
	return cmd
}
