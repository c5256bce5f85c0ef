package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// testEnv is an Env on buffers, started in dir.
func testEnv(dir string) (Env, *bytes.Buffer) {
	var out bytes.Buffer
	return pinnedEnv(&out, &bytes.Buffer{}, "2026-11-23", dir, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)), &out
}

// completeValues runs `okr __complete args...` and returns the candidate
// values (descriptions dropped) and the directive line.
func completeValues(t *testing.T, dir string, args ...string) ([]string, string) {
	t.Helper()
	env, out := testEnv(dir)
	if code := Main(append([]string{"__complete"}, args...), env); code != 0 {
		t.Fatalf("okr __complete %v: exit %d", args, code)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	var values []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, lines[len(lines)-1]
}

func TestCompletions(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
		args []string
		want string // the candidates, comma-separated
	}{
		{"log: objective and key result ids", examples, []string{"log", "p"}, "p99-latency,pages-per-week,pipeline-coverage"},
		{"log takes one id", examples, []string{"log", "p99-latency", ""}, ""},
		{"checkin: key results only", examples, []string{"checkin", "re"}, "reserved-coverage"},
		{"trend: key results", examples, []string{"trend", "p9"}, "p99-latency"},
		{"-C finds the workspace", "/", []string{"-C", examples, "log", "reliable"}, "reliable-platform"},
		{"--cycle", examples, []string{"report", "--cycle", ""}, "2026,2026-q3,2026-q4"},
		{"--team", examples, []string{"status", "--team", "pl"}, "platform"},
		{"--owner: people, teams and me", examples, []string{"status", "--owner", "p"}, "pablo-garcia,platform,priya-nair,product"},
		{"--owner me", examples, []string{"status", "--owner", "me"}, "me"},
		{"--status is fixed", examples, []string{"status", "--status", "o"}, "off_track,on_track"},
		{"--format from the usage", examples, []string{"validate", "--format", "j"}, "json,junit"},
		{"--format of diff", examples, []string{"diff", "--format", ""}, "json,markdown,text"},
		{"schema kinds", examples, []string{"schema", "o"}, "objective,org"},
		{"no workspace: nothing", "/", []string{"log", ""}, ""},
		{"carry --from", examples, []string{"carry", "--from", "2026-q"}, "2026-q3,2026-q4"},
		{"new kr --objective", examples, []string{"new", "kr", "--objective", "reliable"}, "reliable-platform"},
		{"due takes no arguments", examples, []string{"due", ""}, ""},
		{"new objective --owner: no me", examples, []string{"new", "objective", "--owner", "me"}, ""},
		{"comma-separated --aligns-to", examples, []string{"new", "objective", "--aligns-to", "arr,reli"}, "arr,reliable-platform"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, directive := completeValues(t, tt.dir, tt.args...)
			if strings.Join(got, ",") != tt.want {
				t.Errorf("okr __complete %v = %q, want %q", tt.args, got, tt.want)
			}
			if directive != ":4" {
				t.Errorf("directive %s, want :4 (no file completion)", directive)
			}
		})
	}
}

// TestCompletionsLaterCommands checks that entries for commands still to
// come attach when the command exists, and are skipped when it does not.
func TestCompletionsLaterCommands(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	env, _ := testEnv(examples)
	g := &globalOptions{}
	root := &cobra.Command{Use: "okr"}
	root.PersistentFlags().StringVarP(&g.Dir, "dir", "C", "", "")
	carry := &cobra.Command{Use: "carry", Run: func(*cobra.Command, []string) {}}
	carry.Flags().String("from", "", "")
	carry.Flags().String("to", "", "")
	root.AddCommand(carry, &cobra.Command{Use: "other", Run: func(*cobra.Command, []string) {}})
	registerCompletions(root, env, g) // no log, checkin, due, codeowners: skipped
	for _, flag := range []string{"from", "to"} {
		f, ok := carry.GetFlagCompletionFunc(flag)
		if !ok {
			t.Fatalf("carry --%s has no completion", flag)
		}
		got, _ := f(carry, nil, "2026-q")
		if strings.Join(got, ",") != "2026-q3\tQ3 2026 2026-07-01 to 2026-09-30,2026-q4\tQ4 2026 2026-10-01 to 2026-12-31" {
			t.Errorf("carry --%s completes %q", flag, got)
		}
	}
	if root.Commands()[0].Name() != "carry" || !root.HasSubCommands() {
		t.Fatal("command tree changed")
	}
	var names []string
	for _, c := range root.Commands() {
		names = append(names, c.Name())
	}
	if strings.Join(names, ",") != "carry,completion,other" {
		t.Errorf("commands = %v, want the completion command added", names)
	}
}

func TestFormatsIn(t *testing.T) {
	tests := map[string]string{
		"output `FORMAT`: codeclimate, github, json (default text, or github on GitHub Actions)": "codeclimate,github,json",
		"output `FORMAT`: text, markdown, json (default text)":                                   "text,markdown,json",
		"write the report to `FILE`":                                                             "",
	}
	for usage, want := range tests {
		if got := strings.Join(formatsIn(usage).static, ","); got != want {
			t.Errorf("formatsIn(%q) = %q, want %q", usage, got, want)
		}
	}
}
