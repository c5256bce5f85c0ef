package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// mdBlock is one fenced code block of a Markdown file.
type mdBlock struct {
	section string // the nearest heading above it, without the #s
	lang    string // the fence's info string
	text    string
	line    int // of the opening fence
}

// mdBlocks returns the fenced code blocks of the Markdown file at path.
func mdBlocks(t *testing.T, path string) []mdBlock {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	var blocks []mdBlock
	var cur *mdBlock
	section := ""
	for i, line := range strings.Split(string(data), "\n") {
		switch {
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		case strings.HasPrefix(line, "```"):
			cur = &mdBlock{section: section, lang: strings.TrimSpace(strings.TrimPrefix(line, "```")), line: i + 1}
		case strings.HasPrefix(line, "#"):
			section = strings.TrimSpace(strings.TrimLeft(line, "#"))
		}
	}
	if cur != nil {
		t.Fatalf("%s:%d: the code block is not closed", path, cur.line)
	}
	return blocks
}

// docBlock returns the first block of lang under a heading starting with
// section.
func docBlock(t *testing.T, path, section, lang string) mdBlock {
	t.Helper()
	for _, b := range mdBlocks(t, path) {
		if strings.HasPrefix(b.section, section) && b.lang == lang {
			return b
		}
	}
	t.Fatalf("%s has no %s block under %q", path, lang, section)
	return mdBlock{}
}

// docEnv is a clean environment for running okr and git as a reader would:
// an identity, no user or system git configuration, the date pinned.
func docEnv(home, today string) []string {
	return append(cleanEnv(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(home, "gitconfig"),
		"GIT_AUTHOR_NAME=Ada Lovelace", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada Lovelace", "GIT_COMMITTER_EMAIL=ada@example.com",
		"OKR_TODAY="+today, "NO_COLOR=1")
}

func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestGettingStarted runs docs/getting-started.md as a reader would, on
// dates in other quarters and years than the examples': a new repository
// with a local bare repository as its origin, then every sh block after
// the install one and the commands of the console block, in order, with
// this test's okr on PATH and nothing from the network. The console
// block's output lines must appear in that order, and the pull request's
// diff must show the goalpost the guide promises.
func TestGettingStarted(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	const guide = "../../docs/getting-started.md"
	doc, err := os.ReadFile(guide)
	must(t, err)
	// The test's repository is the one the guide says to create.
	const newRepo = "`git init -b main goals && cd goals`"
	if !strings.Contains(string(doc), newRepo) {
		t.Fatalf("%s no longer says %s; update this test", guide, newRepo)
	}
	blocks := mdBlocks(t, guide)
	for _, today := range []string{"2027-05-12", "2028-02-29"} {
		t.Run(today, func(t *testing.T) {
			day, err := time.Parse(time.DateOnly, today)
			must(t, err)
			cycle := fmt.Sprintf("%d-q%d", day.Year(), (int(day.Month())-1)/3+1)
			dir := t.TempDir()
			env := append(docEnv(dir, today), "GIT_AUTHOR_DATE="+today+"T10:00:00Z", "GIT_COMMITTER_DATE="+today+"T10:00:00Z")
			remote := filepath.Join(dir, "remote.git")
			runIn(t, dir, env, "git", "init", "-q", "--bare", remote)
			runIn(t, dir, env, "git", "init", "-q", "-b", "main", "goals")
			repo := filepath.Join(dir, "goals")
			runIn(t, repo, env, "git", "remote", "add", "origin", remote)

			ran, last := 0, ""
			for _, b := range blocks {
				switch b.lang {
				case "console":
					checkConsole(t, repo, env, b)
					ran++
				case "sh":
					if strings.Contains(b.text, "go install") {
						continue // step 1 installs okr from the network; the test has its own
					}
					if m := regexp.MustCompile(`\d{4}-q[1-4]`).FindString(b.text); m != "" {
						t.Errorf("getting-started.md:%d names the cycle %s: the guide must work in any quarter", b.line, m)
					}
					cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", b.text)
					cmd.Dir, cmd.Env = repo, env
					out, err := cmd.CombinedOutput()
					if err != nil {
						t.Fatalf("getting-started.md:%d:\n%s\nfailed: %v\n%s", b.line, b.text, err, out)
					}
					ran++
					last = string(out)
				}
			}
			if ran < 5 {
				t.Fatalf("ran %d blocks of the guide, want the console block and at least 4 sh blocks", ran)
			}
			obj, err := os.ReadFile(filepath.Join(repo, "objectives/core/onboarding.yaml"))
			must(t, err)
			if !strings.Contains(string(obj), "\ncycle: "+cycle+"\n") {
				t.Errorf("the objective is not in the current quarter %s:\n%s", cycle, obj)
			}
			// The last block is the pull request's diff.
			for _, want := range []string{"Goalpost moved", "target lowered from 45 to 40 (easier)"} {
				if !strings.Contains(last, want) {
					t.Errorf("okr diff main lacks %q:\n%s", want, last)
				}
			}
			if got := runIn(t, dir, env, "git", "--git-dir", remote, "branch", "--format=%(refname:short)"); got != "lower-the-bar\nmain\n" {
				t.Errorf("branches pushed to the remote: %q", got)
			}
		})
	}
}

// checkConsole runs the "$ " commands of a console block and checks that
// the output lines the block shows appear in order ("..." stands for lines
// left out).
func checkConsole(t *testing.T, dir string, env []string, b mdBlock) {
	t.Helper()
	var cmds []string
	var outs [][]string
	for _, line := range strings.Split(strings.TrimRight(b.text, "\n"), "\n") {
		if c, ok := strings.CutPrefix(line, "$ "); ok {
			cmds = append(cmds, c)
			outs = append(outs, nil)
			continue
		}
		if len(cmds) == 0 {
			t.Fatalf("getting-started.md:%d: console block output before a command", b.line)
		}
		if line != "..." {
			outs[len(outs)-1] = append(outs[len(outs)-1], line)
		}
	}
	for i, c := range cmds {
		cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-c", c)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("getting-started.md:%d: $ %s: %v\n%s", b.line, c, err, out)
		}
		wants := outs[i]
		got := strings.Split(string(out), "\n")
		j := 0
		for _, g := range got {
			if j < len(wants) && g == wants[j] {
				j++
			}
		}
		if j < len(wants) {
			t.Errorf("getting-started.md:%d: $ %s printed:\n%s\nwithout the line %q (in the guide's order)", b.line, c, out, wants[j])
		}
	}
}

// TestDocsCIMatchInit checks that the CI files docs/ci.md and
// docs/getting-started.md show are what `okr init` writes, byte for byte:
// the GitHub workflow and the GitLab pipeline for a workspace at the
// repository root, and, for one in a sub-folder, the same with the
// workspace input set and -C added to each okr command, as docs/ci.md says.
func TestDocsCIMatchInit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	const ci, guide = "../../docs/ci.md", "../../docs/getting-started.md"
	github := docBlock(t, ci, "GitHub Actions", "yaml")
	if g := docBlock(t, guide, "4.", "yaml"); g.text != github.text {
		t.Errorf("getting-started.md:%d and ci.md:%d show different workflows:\n%s\n---\n%s", g.line, github.line, g.text, github.text)
	}
	gitlab := docBlock(t, ci, "GitLab CI", "yaml")
	subGitHub := strings.Replace(github.text, "\n          workspace: .\n", "\n          workspace: goals\n", 1)
	subGitLab := strings.NewReplacer("okr validate ", "okr validate -C goals ", "okr diff ", "okr diff -C goals ").Replace(gitlab.text)
	if subGitHub == github.text || strings.Count(subGitLab, " -C goals ") != 3 {
		t.Fatalf("the doc blocks changed shape (workspace input, three okr commands); update this test")
	}
	// The scheduled sync jobs (okr init --sync): the GitHub workflow of its
	// own, the GitLab job after the pipeline.
	syncGitHub := docBlock(t, ci, "Sync on GitHub Actions", "yaml").text
	syncGitLab := docBlock(t, ci, "Sync on GitLab", "yaml").text
	subSync := strings.NewReplacer("okr sync --commit", "okr sync -C goals --commit")
	if subSync.Replace(syncGitHub) == syncGitHub || subSync.Replace(syncGitLab) == syncGitLab {
		t.Fatalf("the sync doc blocks have no okr sync command; update this test")
	}
	tests := []struct {
		name, host, target, file, want string
		sync                           bool
	}{
		{"github", "github", "", ".github/workflows/okr.yml", github.text, false},
		{"gitlab", "gitlab", "", ".gitlab-ci.yml", gitlab.text, false},
		{"github sub-folder", "github", "goals", ".github/workflows/okr.yml", subGitHub, false},
		{"gitlab sub-folder", "gitlab", "goals", ".gitlab-ci.yml", subGitLab, false},
		{"github sync", "github", "", ".github/workflows/okr-sync.yml", syncGitHub, true},
		{"github sync keeps the validation workflow", "github", "", ".github/workflows/okr.yml", github.text, true},
		{"gitlab sync", "gitlab", "", ".gitlab-ci.yml", gitlab.text + "\n" + syncGitLab, true},
		{"github sync sub-folder", "github", "goals", ".github/workflows/okr-sync.yml", subSync.Replace(syncGitHub), true},
		{"gitlab sync sub-folder", "gitlab", "goals", ".gitlab-ci.yml", subGitLab + "\n" + subSync.Replace(syncGitLab), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			env := docEnv(dir, "2026-11-23")
			repo := filepath.Join(dir, "repo")
			must(t, os.Mkdir(repo, 0o755))
			runIn(t, repo, env, "git", "init", "-q", "-b", "main")
			args := []string{"init", "--ci", tt.host}
			if tt.sync {
				args = append(args, "--sync")
			}
			if tt.target != "" {
				args = append(args, tt.target)
			}
			runIn(t, repo, env, "okr", args...)
			got, err := os.ReadFile(filepath.Join(repo, tt.file))
			must(t, err)
			if string(got) != tt.want {
				t.Errorf("okr %s wrote %s:\n%s\nthe docs show:\n%s", strings.Join(args, " "), tt.file, got, tt.want)
			}
			var parsed map[string]any
			if err := yaml.Unmarshal(got, &parsed); err != nil || len(parsed) == 0 {
				t.Errorf("%s is not a YAML mapping: %v", tt.file, err)
			}
		})
	}
}
