package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/cli"
	"github.com/okrkit/okr/internal/diag"
	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite testscript files with actual output (cmp with stdout/stderr)")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"okr": func() { os.Exit(cli.Main(os.Args[1:], cli.System())) },
	})
}

// TestScript runs the end-to-end scripts in testdata/script against the real
// okr binary. $EXAMPLES is the repository's examples folder; OKR_TODAY pins
// the date so check-in rules do not depend on the clock.
func TestScript(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *updateScripts,
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", examples)
			env.Setenv("OKR_TODAY", "2026-11-23")
			env.Setenv("GITHUB_ACTIONS", "")
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}

// TestEveryRuleHasScript checks that each rule code has an example
// workspace in examples/invalid and an end-to-end script that runs it.
func TestEveryRuleHasScript(t *testing.T) {
	for _, r := range diag.Rules() {
		if fi, err := os.Stat(filepath.Join("../../examples/invalid", r.Code)); err != nil || !fi.IsDir() {
			t.Errorf("no example workspace examples/invalid/%s", r.Code)
		}
		script, err := os.ReadFile(filepath.Join("testdata/script", "rule-"+r.Code+".txtar"))
		if err != nil {
			t.Errorf("no script testdata/script/rule-%s.txtar", r.Code)
			continue
		}
		for _, want := range []string{"cd $EXAMPLES/invalid/" + r.Code + "\n", "--format json", "--format github", "[" + r.Code + `\]$'`} {
			if !strings.Contains(string(script), want) {
				t.Errorf("rule-%s.txtar lacks %q", r.Code, want)
			}
		}
	}
}
