package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/okrkit/okr/internal/inert"

	"github.com/spf13/cobra"
)

// Version is the okr version, stamped at release time with -ldflags (see
// .goreleaser.yaml); other builds take it from the build info (version.go).
var Version = "dev"

// Main runs okr with args and returns the process exit code.
//
// Everything okr prints goes through an inert.Writer: no control
// character or bidirectional override from a file, a commit or an argument
// reaches the terminal as itself (the status view's own colours are
// written past it, see report.go). A panic exits 3 (recoverPanic).
func Main(args []string, env Env) (code int) {
	defer recoverPanic(args, env.IO.ErrOut, &code)
	out, errOut := inert.NewWriter(env.IO.Out), inert.NewWriter(env.IO.ErrOut)
	defer out.Flush()
	defer errOut.Flush()
	env.IO.Out, env.IO.ErrOut = out, errOut
	env.mem = &memScope{}
	defer env.mem.close()
	if env.Context == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		env.Context = ctx
	}
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

Exit codes: 0 clean, 1 findings, 2 usage or operational error, 3 internal
error (a bug: please report it).`,
		Example: `  okr validate                     # check every file, for CI
  okr status                       # where the active cycle stands
  okr checkin p99-latency --value 380 --answer progress="Replica live"
  okr help report                  # any command's flags and examples`,
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
	root.AddCommand(NewCmdSync(env, g, nil))
	root.AddCommand(NewCmdFmt(env, g, nil))
	root.AddCommand(NewCmdNew(env, g, nil))
	root.AddCommand(NewCmdInit(env, g, nil))
	root.AddCommand(NewCmdExport(env, g))
	root.AddCommand(NewCmdImport(env, g))
	root.AddCommand(NewCmdCarry(env, g, nil))
	root.AddCommand(NewCmdCycle(env, g, nil))
	root.AddCommand(NewCmdLint(env, g, nil))
	root.AddCommand(NewCmdDue(env, g, nil))
	root.AddCommand(NewCmdCodeowners(env, g, nil))
	root.AddCommand(NewCmdVersion(env))
	root.AddCommand(NewCmdGitHub(env, nil))
	root.SetVersionTemplate("okr {{.Version}}\n")
	registerCompletions(root, env, g)
	return root
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])}
	}
	return nil
}
