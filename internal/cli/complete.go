package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// candidates are completion candidates, each "value" or
// "value\tdescription": a fixed list, or one read from the workspace.
type candidates struct {
	static []string
	fromWS func(ws *model.Workspace) []string
}

// inWorkspace completes what list reads from the workspace.
func inWorkspace(list func(ws *model.Workspace) []string) candidates {
	return candidates{fromWS: list}
}

// fixed completes a constant list.
func fixed(values ...string) candidates { return candidates{static: values} }

// argCompletions completes positional arguments, by command path below
// okr. n is how many arguments the command takes (0: any number; -1: none,
// so nothing, not file names, completes). A command that does not exist
// (yet) is skipped.
var argCompletions = map[string]struct {
	n    int
	list candidates
}{
	"log":        {1, inWorkspace(idsOf)},
	"trend":      {1, inWorkspace(keyResultIDs)},
	"checkin":    {1, inWorkspace(keyResultIDs)},
	"due":        {-1, fixed()},
	"carry":      {-1, fixed()},
	"codeowners": {-1, fixed()},
}

// flagCompletions completes flag values by flag name, on every command that
// has the flag; "PATH --flag" entries apply to one command and win.
var flagCompletions = map[string]candidates{
	"cycle":              inWorkspace(cycleIDs),
	"team":               inWorkspace(teamIDs),
	"owner":              inWorkspace(ownerIDs),
	"report --owner":     inWorkspace(ownerOrMe),
	"status --owner":     inWorkspace(ownerOrMe),
	"involving":          inWorkspace(ownerOrMe),
	"author":             inWorkspace(personIDs),
	"person":             inWorkspace(personIDs),
	"category":           inWorkspace(categoryIDs),
	"unit":               inWorkspace(unitIDs),
	"objective":          inWorkspace(objectiveIDs),
	"aligns-to":          inWorkspace(objectiveIDs),
	"kr":                 inWorkspace(keyResultIDs),
	"level":              fixed("company", "department", "team", "individual"),
	"status":             fixed("on_track", "at_risk", "off_track", "done"),
	"type":               fixed(model.Increase, model.Decrease, model.AtLeast, model.AtMost, model.Range, model.Milestone),
	"cadence":            fixed("weekly", "biweekly", "monthly"),
	"fail-on":            fixed("goalpost"),
	"new cycle --parent": inWorkspace(cycleIDs),
	"carry --from":       inWorkspace(cycleIDs),
	"carry --to":         inWorkspace(cycleIDs),
}

// completionExamples are the examples of `okr completion SHELL`: how to
// load the script now and for every new shell.
var completionExamples = map[string]string{
	"bash": `  source <(okr completion bash)
  okr completion bash > /etc/bash_completion.d/okr`,
	"zsh": `  source <(okr completion zsh)
  okr completion zsh > "${fpath[1]}/_okr"`,
	"fish": `  okr completion fish | source
  okr completion fish > ~/.config/fish/completions/okr.fish`,
	"powershell": `  okr completion powershell | Out-String | Invoke-Expression
  okr completion powershell >> $PROFILE`,
}

// registerCompletions adds the `completion` command (bash, zsh, fish,
// powershell) and attaches dynamic completion of ids, cycles, teams and
// people, read from the workspace (-C DIR or the current folder), to the
// commands and flags named in argCompletions and flagCompletions. It runs
// after every command is added; a --format flag completes the formats its
// usage lists.
func registerCompletions(root *cobra.Command, env Env, g *globalOptions) {
	root.SetOut(env.IO.Out)
	root.InitDefaultCompletionCmd()
	strictCompletionCmd(root)
	_ = root.RegisterFlagCompletionFunc("dir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	complete := completer(env, g)
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		completeCommand(root, cmd, complete)
		for _, c := range cmd.Commands() {
			walk(c)
		}
	}
	walk(root)
}

// strictCompletionCmd makes `okr completion SHELL` with a shell it does
// not know a usage error, not the help page with exit 0 (cobra's
// default), and gives it examples.
func strictCompletionCmd(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Errorf("unknown shell %q (want one of bash, fish, powershell, zsh)", args[0])}
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		c.Example = "  okr completion bash > /etc/bash_completion.d/okr\n  okr completion zsh > \"${fpath[1]}/_okr\""
		for _, sh := range c.Commands() {
			sh.Example = completionExamples[sh.Name()]
		}
	}
}

// completer returns what completes a word from candidates: a fixed list,
// or a list read from the workspace found as the command would find it
// (none when there is no workspace).
func completer(env Env, g *globalOptions) func(c candidates, toComplete string) ([]string, cobra.ShellCompDirective) {
	workspace := func() *model.Workspace {
		dir, _, err := workspaceRoot(env, g.Dir, nil)
		if err != nil {
			return nil
		}
		res, err := load.Load(dir, load.Options{})
		if err != nil {
			return nil
		}
		return res.Workspace
	}
	return func(c candidates, toComplete string) ([]string, cobra.ShellCompDirective) {
		list := c.static
		if c.fromWS != nil {
			ws := workspace()
			if ws == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			list = c.fromWS(ws)
		}
		return matching(list, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeCommand registers the completions of cmd's arguments and flags
// (argCompletions, flagCompletions, and --format's formats from its usage).
func completeCommand(root, cmd *cobra.Command, complete func(candidates, string) ([]string, cobra.ShellCompDirective)) {
	path := strings.TrimPrefix(strings.TrimPrefix(cmd.CommandPath(), root.Name()), " ")
	if a, ok := argCompletions[path]; ok && cmd.ValidArgsFunction == nil {
		cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if a.n < 0 || (a.n > 0 && len(args) >= a.n) {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return complete(a.list, toComplete)
		}
	}
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		list, ok := flagCompletions[path+" --"+f.Name]
		if !ok {
			list, ok = flagCompletions[f.Name]
		}
		if !ok && f.Name == "format" {
			list, ok = formatsIn(f.Usage), true
		}
		if !ok {
			return
		}
		// An error means the command registered its own: keep it.
		_ = cmd.RegisterFlagCompletionFunc(f.Name, func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return complete(list, toComplete)
		})
	})
}

// formatsIn reads the format names from a --format usage string such as
// "output `FORMAT`: json, markdown, text (default text)".
func formatsIn(usage string) candidates {
	_, rest, ok := strings.Cut(usage, ": ")
	if !ok {
		return fixed()
	}
	rest, _, _ = strings.Cut(rest, " (")
	var names []string
	for _, f := range strings.Split(rest, ",") {
		if f = strings.TrimSpace(f); f != "" && !strings.Contains(f, " ") {
			names = append(names, f)
		}
	}
	return fixed(names...)
}

// matching keeps the candidates that start with prefix, sorted, without
// duplicate values. In a comma-separated list (--aligns-to a,b) the last
// item is completed and the ones before it are kept.
func matching(all []string, prefix string) []string {
	var out []string
	seen := map[string]bool{}
	done := ""
	if i := strings.LastIndexByte(prefix, ','); i >= 0 {
		done, prefix = prefix[:i+1], prefix[i+1:]
	}
	for _, c := range all {
		v, _, _ := strings.Cut(c, "\t")
		if strings.HasPrefix(v, prefix) && !seen[v] {
			seen[v] = true
			out = append(out, done+c)
		}
	}
	slices.Sort(out)
	return out
}

func describe(id, text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return id
	}
	return id + "\t" + text
}

func objectiveIDs(ws *model.Workspace) []string {
	var out []string
	for _, o := range ws.Objectives {
		out = append(out, describe(o.ID, o.Title))
	}
	return out
}

func keyResultIDs(ws *model.Workspace) []string {
	var out []string
	for _, o := range ws.Objectives {
		for _, kr := range o.KeyResults {
			out = append(out, describe(kr.ID, kr.Title))
		}
	}
	return out
}

// idsOf lists objective and key result ids.
func idsOf(ws *model.Workspace) []string {
	return append(objectiveIDs(ws), keyResultIDs(ws)...)
}

func cycleIDs(ws *model.Workspace) []string {
	var out []string
	for _, c := range ws.Cycles {
		out = append(out, describe(c.ID, strings.TrimSpace(c.Name+" "+c.Start.String()+" to "+c.End.String())))
	}
	return out
}

func teamIDs(ws *model.Workspace) []string {
	var out []string
	for _, t := range ws.Teams {
		out = append(out, describe(t.ID, t.Name))
	}
	return out
}

func personIDs(ws *model.Workspace) []string {
	var out []string
	for _, p := range ws.People {
		out = append(out, describe(p.ID, p.Name))
	}
	return out
}

// ownerIDs lists people and teams.
func ownerIDs(ws *model.Workspace) []string {
	return append(personIDs(ws), teamIDs(ws)...)
}

// ownerOrMe lists people, teams and "me", which the filters accept.
func ownerOrMe(ws *model.Workspace) []string {
	return append(ownerIDs(ws), "me\tyou, by your git identity")
}

func categoryIDs(ws *model.Workspace) []string {
	var out []string
	for _, c := range ws.Settings.Categories {
		out = append(out, describe(c.ID, c.Name))
	}
	return out
}

func unitIDs(ws *model.Workspace) []string {
	var out []string
	for _, u := range ws.Settings.Units {
		out = append(out, describe(u.ID, u.Name))
	}
	return out
}
