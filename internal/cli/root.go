package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// Version is the okr version, stamped at release time with -ldflags.
var Version = "dev"

// Main runs okr with args and returns the process exit code.
func Main(args []string, env Env) int {
	root := NewRootCmd(env)
	root.SetArgs(args)
	root.SetIn(env.IO.In)
	root.SetOut(env.IO.Out)
	root.SetErr(env.IO.ErrOut)
	err := root.Execute()
	return exitCode(err, env.IO.ErrOut)
}

// globalOptions are the flags every command shares.
type globalOptions struct {
	// Dir is the -C flag: where to start looking for the workspace.
	Dir string
}

// NewRootCmd builds the okr command tree.
func NewRootCmd(env Env) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "okr",
		Short: "OKRs as code: validate, score and report objectives kept in git",
		Long: `okr keeps objectives, key results, cycles and check-ins as YAML files in a
git repository, validates them for CI, and reports on them.

Exit codes: 0 clean, 1 findings, 2 usage or operational error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVarP(&g.Dir, "dir", "C", "", "run as if okr was started in `DIR`")
	root.AddCommand(NewCmdValidate(env, g, nil))
	root.AddCommand(NewCmdReport(env, g, nil))
	root.AddCommand(NewCmdSchema(env, nil))
	root.AddCommand(NewCmdSnapshot(env, g, nil))
	root.AddCommand(NewCmdDiff(env, g, nil))
	root.AddCommand(NewCmdLog(env, g, nil))
	root.AddCommand(NewCmdTrend(env, g, nil))
	root.AddCommand(NewCmdStats(env, g, nil))
	root.AddCommand(NewCmdStatus(env, g, nil))
	root.AddCommand(NewCmdTree(env, g, nil))
	root.AddCommand(NewCmdCheckin(env, g, nil))
	root.AddCommand(NewCmdFmt(env, g, nil))
	root.AddCommand(NewCmdVersion(env))
	root.SetVersionTemplate("okr {{.Version}}\n")
	return root
}

// NewCmdVersion prints the version.
func NewCmdVersion(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the okr version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(env.IO.Out, "okr %s\n", Version)
			return err
		},
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])}
	}
	return nil
}
