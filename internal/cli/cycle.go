package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/spf13/cobra"
)

// CycleOptions are the inputs of `okr cycle close|set`.
type CycleOptions struct {
	IO  IOStreams
	Env Env
	Dir string
	ID  string
	// Fields are the keys to set, in the order given: state, parent, name,
	// cadence, start, end.
	Fields []edit.Field
	Commit bool
}

// cycleStates are the values of a cycle's state (schema/cycles.schema.json).
var cycleStates = []string{"draft", "active", "closed", "archived"}

// NewCmdCycle builds `okr cycle`. runF replaces the action in tests.
func NewCmdCycle(env Env, g *globalOptions, runF func(*CycleOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cycle close|set ID [flags]",
		Short: "Close a cycle, or change its state, parent, name, cadence or dates",
		Long: `Edit a cycle in cycles.yaml without hand-editing YAML: only the lines of the
fields that change are rewritten, comments and layout elsewhere stay
byte-for-byte, and the workspace is validated with the change before
anything is written (a parent that does not exist, or dates that leave an
objective's check-ins outside the cycle, are refused with exit 1).

okr cycle close ID sets state: closed, which takes the cycle out of the
default of status, report and the other views (the active cycle is the
shortest one containing today that is not closed or archived).`,
		Example: `  okr cycle close 2026-q4
  okr cycle set 2027-q1 --state active --parent 2027
  okr cycle close 2026-q4 --commit`,
		Args: noArgs,
	}
	cmd.AddCommand(newCycleSubCmd(env, g, "close", runF), newCycleSubCmd(env, g, "set", runF))
	return cmd
}

func newCycleSubCmd(env Env, g *globalOptions, verb string, runF func(*CycleOptions) error) *cobra.Command {
	opts := &CycleOptions{IO: env.IO, Env: env}
	var state, parent, name, cadence, start, end string
	cmd := &cobra.Command{
		Use:  verb + " ID",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir, opts.ID, opts.Fields = g.Dir, args[0], nil
			if verb == "close" {
				opts.Fields = append(opts.Fields, edit.Field{Key: "state", Value: edit.Scalar("closed")})
			}
			// set adds flag's value when given: plain for words, numbers
			// and dates, a string (quoted where YAML needs it) for names.
			set := func(flag, v string, plain bool) {
				if !cmd.Flags().Changed(flag) {
					return
				}
				n := edit.String(v)
				if plain {
					n = edit.Scalar(v)
				}
				opts.Fields = append(opts.Fields, edit.Field{Key: flag, Value: n})
			}
			if verb == "set" {
				if cmd.Flags().Changed("state") && !slices.Contains(cycleStates, state) {
					return usageError{fmt.Errorf("--state %q is not one of %s", state, strings.Join(cycleStates, ", "))}
				}
				for _, d := range []struct{ flag, v string }{{"start", start}, {"end", end}} {
					if _, err := model.ParseDate(d.v); cmd.Flags().Changed(d.flag) && err != nil {
						return usageError{fmt.Errorf("--%s %q is not a date (want YYYY-MM-DD)", d.flag, d.v)}
					}
				}
				if err := edit.TextErr("name", name); err != nil {
					return refuse("", "--name: %v; nothing was written", err)
				}
				set("state", state, true)
				set("parent", parent, false)
				set("name", name, false)
				set("cadence", cadence, true)
				set("start", start, true)
				set("end", end, true)
				if len(opts.Fields) == 0 {
					return usageError{errors.New("nothing to set: give --state, --parent, --name, --cadence, --start or --end")}
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return runCycle(opts)
		},
	}
	switch verb {
	case "close":
		cmd.Short = "Set a cycle's state to closed"
		cmd.Example = "  okr cycle close 2026-q4\n  okr cycle close 2026-q4 --commit"
	case "set":
		cmd.Short = "Change a cycle's state, parent, name, cadence or dates"
		cmd.Example = "  okr cycle set 2027-q1 --state active\n  okr cycle set 2027-q1 --parent 2027 --cadence biweekly"
		fl := cmd.Flags()
		fl.StringVar(&state, "state", "", "the cycle's `STATE`: "+strings.Join(cycleStates, ", "))
		fl.StringVar(&parent, "parent", "", "the `ID` of the cycle it lies in (a quarter's year)")
		fl.StringVar(&name, "name", "", "the cycle's display `NAME`")
		fl.StringVar(&cadence, "cadence", "", "check-in `CADENCE`: weekly, biweekly, monthly")
		fl.StringVar(&start, "start", "", "first `DATE` (YYYY-MM-DD)")
		fl.StringVar(&end, "end", "", "last `DATE` (YYYY-MM-DD)")
	}
	cmd.Flags().BoolVar(&opts.Commit, "commit", false, "commit cycles.yaml with your git identity")
	return cmd
}

func runCycle(opts *CycleOptions) error {
	ed, err := beginEdit(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer ed.done()
	if ed.ws().Cycle(opts.ID) == nil {
		return refuse("okr new cycle adds one", "no cycle %q in %s; nothing was written", opts.ID, load.CyclesFile)
	}
	d, err := ed.doc(load.CyclesFile)
	if err != nil {
		return err
	}
	if err := d.SetCycle(opts.ID, opts.Fields); err != nil {
		return editErr(err, load.CyclesFile)
	}
	ed.put(load.CyclesFile, d.Bytes())
	var set []string
	for _, f := range opts.Fields {
		set = append(set, f.Key+" "+f.Value.Value)
	}
	return ed.save(opts.IO.Out, opts.Commit, fmt.Sprintf("okr: cycle %s: %s", opts.ID, strings.Join(set, ", ")), func() {
		fmt.Fprintf(opts.IO.Out, "cycle %s: %s in %s\n", opts.ID, strings.Join(set, ", "), load.CyclesFile)
	})
}
