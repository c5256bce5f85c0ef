package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// The hostile corpus: testdata/hostile/<case>.txtar holds a workspace's
// files, an `expect` file and optionally a `setup` file (see
// testdata/hostile/README.md). TestHostile runs the real okr on each and
// checks the exit code, the output, that it does not hang and that its
// peak memory stays within a bound.

const (
	// hostileTimeout is generous: a run taking this long has hung (a
	// healthy one takes well under a second, even on a loaded machine).
	hostileTimeout = 90 * time.Second
	// hostileBaseRSS is the fixed part of the memory bound; the rest is
	// 4x the bytes of the workspace (docs/performance.md).
	hostileBaseRSS = 200 << 20
)

// okrBinary returns the path of an `okr` that runs this test binary as
// okr's main (TestMain dispatches on the name, as testscript does).
func okrBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "okr")
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

// hostileRun is one command of a case and what it must do.
type hostileRun struct {
	args   []string
	exit   int // -1: any
	checks []hostileCheck
}

type hostileCheck struct {
	stream string // stdout or stderr
	negate bool
	re     *regexp.Regexp
	maxLen int // for maxline: the longest line allowed
}

type hostileCase struct {
	name  string
	files []txtar.File
	setup []string
	runs  []hostileRun
}

func loadHostile(t *testing.T, path string) hostileCase {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := hostileCase{name: strings.TrimSuffix(filepath.Base(path), ".txtar")}
	var expect []byte
	for _, f := range ar.Files {
		switch f.Name {
		case "expect":
			expect = f.Data
		case "setup":
			c.setup = lines(f.Data)
		default:
			c.files = append(c.files, f)
		}
	}
	if expect == nil {
		t.Fatalf("%s has no expect file", path)
	}
	root := os.Geteuid() == 0
	var cur *hostileRun
	for _, line := range lines(expect) {
		// root: and nonroot: lines apply only when the test runs as root
		// (where chmod 000 does not stop reads) or as anyone else.
		if rest, ok := strings.CutPrefix(line, "root: "); ok {
			if !root {
				continue
			}
			line = rest
		} else if rest, ok := strings.CutPrefix(line, "nonroot: "); ok {
			if root {
				continue
			}
			line = rest
		}
		verb, arg, _ := strings.Cut(line, " ")
		if verb == "args" {
			c.runs = append(c.runs, hostileRun{args: strings.Fields(arg), exit: 0})
			cur = &c.runs[len(c.runs)-1]
			continue
		}
		if cur == nil {
			c.runs = append(c.runs, hostileRun{args: []string{"validate"}, exit: 0})
			cur = &c.runs[len(c.runs)-1]
		}
		switch verb {
		case "exit":
			if arg == "any" {
				cur.exit = -1
			} else if cur.exit, err = strconv.Atoi(arg); err != nil {
				t.Fatalf("%s: bad exit line %q", path, line)
			}
		case "stdout", "stderr", "!stdout", "!stderr":
			re, err := regexp.Compile(`(?m)` + arg)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			cur.checks = append(cur.checks, hostileCheck{stream: strings.TrimPrefix(verb, "!"), negate: verb[0] == '!', re: re})
		case "maxline":
			n, err := strconv.Atoi(arg)
			if err != nil {
				t.Fatalf("%s: bad maxline %q", path, line)
			}
			cur.checks = append(cur.checks, hostileCheck{stream: "stdout", maxLen: n}, hostileCheck{stream: "stderr", maxLen: n})
		default:
			t.Fatalf("%s: unknown expect line %q", path, line)
		}
	}
	if len(c.runs) == 0 {
		t.Fatalf("%s: expect holds no checks", path)
	}
	for _, r := range c.runs {
		if len(r.checks) == 0 && r.exit == -1 {
			t.Fatalf("%s: run %v checks nothing", path, r.args)
		}
	}
	return c
}

func lines(data []byte) []string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// materialize writes the case's workspace under dir and runs its setup;
// it returns the workspace's size in bytes and what to close afterwards.
func materialize(t *testing.T, c hostileCase, dir string) (size int64, cleanup func()) {
	t.Helper()
	var closers []func()
	cleanup = func() {
		for _, f := range closers {
			f()
		}
	}
	for _, f := range c.files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		data := unescapeFile(f.Data)
		must(t, os.WriteFile(p, data, 0o644))
		size += int64(len(data))
	}
	for _, line := range c.setup {
		f := strings.Fields(line)
		at := func(i int) string {
			if i >= len(f) {
				t.Fatalf("setup line %q: too few fields", line)
			}
			return filepath.Join(dir, filepath.FromSlash(f[i]))
		}
		switch f[0] {
		case "mkdir":
			must(t, os.MkdirAll(at(1), 0o755))
		case "mkfifo":
			must(t, os.MkdirAll(filepath.Dir(at(1)), 0o755))
			if err := syscall.Mkfifo(at(1), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		case "socket":
			must(t, os.MkdirAll(filepath.Dir(at(1)), 0o755))
			l, err := net.Listen("unix", at(1))
			if err != nil {
				t.Skipf("unix socket: %v", err)
			}
			closers = append(closers, func() { l.Close() })
		case "symlink":
			must(t, os.MkdirAll(filepath.Dir(at(2)), 0o755))
			must(t, os.Symlink(f[1], at(2)))
		case "chmod":
			mode, err := strconv.ParseUint(f[1], 8, 32)
			must(t, err)
			must(t, os.Chmod(at(2), os.FileMode(mode)))
			p := at(2)
			closers = append(closers, func() { os.Chmod(p, 0o755) })
		case "mknod-null":
			must(t, os.MkdirAll(filepath.Dir(at(1)), 0o755))
			// A character device like /dev/null (1, 3); without the right
			// to make one, a link to /dev/null is the same file to okr.
			if err := syscall.Mknod(at(1), syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
				t.Logf("mknod not permitted (%v); using a symbolic link to /dev/null", err)
				must(t, os.Symlink("/dev/null", at(1)))
			}
		case "big":
			// The case's file of that name, if any, is the start; the
			// pattern is repeated after it up to BYTES in all.
			n, err := strconv.ParseInt(f[2], 10, 64)
			must(t, err)
			head, _ := os.ReadFile(at(1))
			data := append(head, bigFile(strings.Join(f[3:], " "), n-int64(len(head)))...)
			must(t, os.MkdirAll(filepath.Dir(at(1)), 0o755))
			must(t, os.WriteFile(at(1), data, 0o644))
			size += int64(len(data) - len(head))
		case "append":
			text, err := strconv.Unquote(`"` + strings.Join(f[2:], " ") + `"`)
			must(t, err)
			fh, err := os.OpenFile(at(1), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
			must(t, err)
			_, err = fh.WriteString(text)
			must(t, err)
			must(t, fh.Close())
			size += int64(len(text))
		default:
			t.Fatalf("unknown setup line %q", line)
		}
	}
	return size, cleanup
}

// bigFile repeats pattern (Go-quoted escapes allowed, %d the repetition's
// number) until the next copy would pass n bytes.
func bigFile(pattern string, n int64) []byte {
	if p, err := strconv.Unquote(`"` + pattern + `"`); err == nil {
		pattern = p
	}
	var b bytes.Buffer
	b.Grow(int(n))
	for i := 0; ; i++ {
		s := pattern
		if strings.Contains(s, "%d") {
			s = strings.ReplaceAll(s, "%d", strconv.Itoa(i))
		}
		if int64(b.Len()+len(s)) > n {
			break
		}
		b.WriteString(s)
	}
	return b.Bytes()
}

// unescapeFile turns a file's \xHH, \uHHHH, \r, \n, \t, \0 and \\ escapes into bytes, so a
// txtar (which must be text) can hold NUL, invalid UTF-8, BOMs, lone CRs
// and line separators. A file that starts with the line "#escaped" is
// unescaped (that line removed); others are written as they are.
func unescapeFile(data []byte) []byte {
	rest, ok := bytes.CutPrefix(data, []byte("#escaped\n"))
	if !ok {
		return data
	}
	var out bytes.Buffer
	for i := 0; i < len(rest); i++ {
		if rest[i] == '\\' && i+3 < len(rest) && rest[i+1] == 'x' {
			if v, err := strconv.ParseUint(string(rest[i+2:i+4]), 16, 8); err == nil {
				out.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		if rest[i] == '\\' && i+5 < len(rest) && rest[i+1] == 'u' {
			if v, err := strconv.ParseUint(string(rest[i+2:i+6]), 16, 32); err == nil {
				out.WriteRune(rune(v))
				i += 5
				continue
			}
		}
		if rest[i] == '\\' && i+1 < len(rest) {
			if b, ok := map[byte]byte{'\\': '\\', 'r': '\r', 'n': '\n', 't': '\t', '0': 0}[rest[i+1]]; ok {
				out.WriteByte(b)
				i++
				continue
			}
		}
		out.WriteByte(rest[i])
	}
	return out.Bytes()
}

// hostileEnv is the environment of every corpus run: the date pinned, no
// colour, no GitHub Actions, no user git configuration.
func hostileEnv(home string, gomaxprocs int) []string {
	env := append(cleanEnv(), "HOME="+home, "OKR_TODAY=2026-11-23", "NO_COLOR=1", "GITHUB_ACTIONS=",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(home, "gitconfig"),
		"GIT_AUTHOR_NAME=Ann", "GIT_AUTHOR_EMAIL=ann@example.com", "GIT_COMMITTER_NAME=Ann", "GIT_COMMITTER_EMAIL=ann@example.com",
		"GIT_AUTHOR_DATE=2026-11-20T10:00:00Z", "GIT_COMMITTER_DATE=2026-11-20T10:00:00Z")
	if gomaxprocs > 0 {
		env = append(env, "GOMAXPROCS="+strconv.Itoa(gomaxprocs))
	}
	return env
}

type runResult struct {
	stdout, stderr []byte
	exit           int
	maxRSS         int64 // bytes
}

// runOkr runs okr in dir, failing the test if it does not finish within
// hostileTimeout.
func runOkr(t *testing.T, bin, dir string, env []string, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("okr %s did not finish within %s: it hangs", strings.Join(args, " "), hostileTimeout)
	}
	res := runResult{stdout: stdout.Bytes(), stderr: stderr.Bytes()}
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("okr %s: %v", strings.Join(args, " "), err)
		}
	}
	res.exit = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.maxRSS = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return res
}

func hostileCases(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/hostile/*.txtar")
	must(t, err)
	if len(paths) < 60 {
		t.Fatalf("the hostile corpus holds %d cases, want at least 60", len(paths))
	}
	return paths
}

func TestHostile(t *testing.T) {
	skipUnderRace(t)
	bin := okrBinary(t)
	for _, path := range hostileCases(t) {
		c := loadHostile(t, path)
		t.Run(c.name, func(t *testing.T) {
			ws := filepath.Join(t.TempDir(), "ws")
			must(t, os.MkdirAll(ws, 0o755))
			size, cleanup := materialize(t, c, ws)
			defer cleanup()
			bound := 4*size + hostileBaseRSS
			for _, r := range c.runs {
				got := runOkr(t, bin, ws, hostileEnv(t.TempDir(), 0), r.args...)
				what := fmt.Sprintf("okr %s", strings.Join(r.args, " "))
				if r.exit >= 0 && got.exit != r.exit {
					t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", what, got.exit, r.exit, clip(got.stdout), clip(got.stderr))
				}
				if got.exit == 3 {
					t.Errorf("%s: exit 3, an internal error:\n%s", what, clip(got.stderr))
				}
				// Under the race detector memory is 5-10 times larger
				// and says nothing about okr's own bound.
				if got.maxRSS > bound && !raceEnabled {
					t.Errorf("%s: peak memory %d MB, over the bound of %d MB (4x the workspace's %d bytes + %d MB)", what, got.maxRSS>>20, bound>>20, size, hostileBaseRSS>>20)
				}
				for _, ch := range r.checks {
					out := got.stdout
					if ch.stream == "stderr" {
						out = got.stderr
					}
					if ch.maxLen > 0 {
						for _, l := range bytes.Split(out, []byte("\n")) {
							if len(l) > ch.maxLen {
								t.Errorf("%s: a %s line is %d bytes long, over %d: %s", what, ch.stream, len(l), ch.maxLen, clip(l))
							}
						}
						continue
					}
					if ch.re.Match(out) == ch.negate {
						not := ""
						if ch.negate {
							not = "un"
						}
						t.Errorf("%s: %sexpected match for %s in %s:\n%s", what, not, ch.re, ch.stream, clip(out))
					}
				}
			}
		})
	}
}

func clip(b []byte) string {
	if len(b) > 4000 {
		return string(b[:4000]) + fmt.Sprintf("... (%d more bytes)", len(b)-4000)
	}
	return string(b)
}

// Runs that must print the same bytes, by their GOMAXPROCS values. The
// full matrix is long (thousands of runs of the binary), so a text run
// gets five runs covering 1, 2 and 8 and every other format three; under
// -short or -race only validate's text and json, and report, trend and
// diff on three cases, each at GOMAXPROCS 1, 2 and 8.
var (
	fiveRuns  = []int{1, 2, 8, 1, 8}
	threeRuns = []int{1, 2, 8}
)

// skipUnderRace skips the corpus tests in a -race build: the okr they run
// hundreds of times is the test binary, race-instrumented, which makes the
// package overrun its time on a loaded machine. .ci/test runs them in a
// build without -race, in full.
func skipUnderRace(t *testing.T) {
	if raceEnabled {
		t.Skip("the hostile corpus runs without -race (.ci/test runs it on its own)")
	}
}

func quick() bool { return testing.Short() || raceEnabled }

// sameEveryRun runs okr with args once per GOMAXPROCS value of
// determinismRuns and fails unless stdout, stderr and the exit code are
// byte-identical every time.
func sameEveryRun(t *testing.T, runs []int, bin, dir, home string, args ...string) runResult {
	t.Helper()
	var first runResult
	for i, procs := range runs {
		got := runOkr(t, bin, dir, hostileEnv(home, procs), args...)
		if got.exit == 3 {
			t.Errorf("okr %s: internal error:\n%s", strings.Join(args, " "), clip(got.stderr))
		}
		if i == 0 {
			first = got
			continue
		}
		if !bytes.Equal(got.stdout, first.stdout) || !bytes.Equal(got.stderr, first.stderr) || got.exit != first.exit {
			t.Errorf("okr %s (GOMAXPROCS=%d) differs from the first run (GOMAXPROCS=%d):\nfirst stdout:\n%s\nthis stdout:\n%s\nfirst stderr:\n%s\nthis stderr:\n%s",
				strings.Join(args, " "), procs, runs[0], clip(first.stdout), clip(got.stdout), clip(first.stderr), clip(got.stderr))
		}
	}
	return first
}

// TestHostileDeterminism: every format of validate on every corpus case,
// and every format of report, trend and diff on the cases that load clean
// (at most six), print the same bytes across runs and GOMAXPROCS 1, 2
// and 8.
func TestHostileDeterminism(t *testing.T) {
	skipUnderRace(t)
	bin := okrBinary(t)
	clean, maxClean := 0, 6
	validateFormats := []string{"text", "json", "github", "sarif", "junit", "codeclimate"}
	if quick() {
		maxClean, validateFormats = 3, validateFormats[:2]
	}
	for _, path := range hostileCases(t) {
		c := loadHostile(t, path)
		t.Run(c.name, func(t *testing.T) {
			ws := filepath.Join(t.TempDir(), "ws")
			must(t, os.MkdirAll(ws, 0o755))
			_, cleanup := materialize(t, c, ws)
			defer cleanup()
			home := t.TempDir()
			var text runResult
			for _, f := range validateFormats {
				runs := threeRuns
				if f == "text" && !quick() {
					runs = fiveRuns
				}
				r := sameEveryRun(t, runs, bin, ws, home, "validate", "--format", f)
				if f == "text" {
					text = r
				}
			}
			// report, trend and diff need a workspace that loads clean
			// and still holds the base objective.
			if text.exit != 0 || clean >= maxClean {
				return
			}
			if _, err := os.Stat(filepath.Join(ws, "objectives", "grow.yaml")); err != nil {
				return
			}
			clean++
			runs := fiveRuns
			if quick() {
				runs = threeRuns
			}
			for _, f := range []string{"table", "markdown", "json", "csv", "html"} {
				if r := sameEveryRun(t, runs, bin, ws, home, "report", "--format", f); r.exit != 0 {
					t.Errorf("report --format %s: exit %d\n%s", f, r.exit, clip(r.stderr))
				}
			}
			for _, f := range []string{"text", "csv", "json"} {
				for _, args := range [][]string{{"trend", "--format", f}, {"trend", "subs", "--format", f}} {
					if r := sameEveryRun(t, runs, bin, ws, home, args...); r.exit != 0 {
						t.Errorf("%s: exit %d\n%s", strings.Join(args, " "), r.exit, clip(r.stderr))
					}
				}
			}
			if _, err := exec.LookPath("git"); err != nil {
				t.Log("git is not installed: diff not run")
				return
			}
			env := hostileEnv(home, 0)
			runIn(t, ws, env, "git", "init", "-q", "-b", "main")
			runIn(t, ws, env, "git", "add", "-A")
			runIn(t, ws, env, "git", "commit", "-q", "-m", "base")
			// A new check-in and a lowered target: a change and a goalpost.
			grow := filepath.Join(ws, "objectives", "grow.yaml")
			data, err := os.ReadFile(grow)
			must(t, err)
			changed := strings.Replace(string(data), "target: 5000", "target: 4000", 1)
			changed = strings.Replace(changed, "value: 3000}", "value: 3000}\n      - {date: 2026-11-20, value: 3500}", 1)
			if changed == string(data) {
				t.Fatalf("the base objective in %s changed shape; cannot make a diff", c.name)
			}
			must(t, os.WriteFile(grow, []byte(changed), 0o644))
			for _, f := range []string{"text", "markdown", "json"} {
				r := sameEveryRun(t, runs, bin, ws, home, "diff", "HEAD", "--format", f)
				if r.exit != 0 || !bytes.Contains(r.stdout, []byte("subs")) {
					t.Errorf("diff --format %s: exit %d, stdout:\n%s\nstderr:\n%s", f, r.exit, clip(r.stdout), clip(r.stderr))
				}
			}
		})
	}
	if clean < maxClean {
		t.Errorf("only %d corpus cases load clean with the base objective, want %d for report, trend and diff", clean, maxClean)
	}
}
