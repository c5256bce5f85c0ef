package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionFile is the part of action.yml the test reads.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
}

func readAction(t *testing.T) actionFile {
	t.Helper()
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using = %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"workspace", "fail-on", "comment"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("action.yml has no input %q", in)
		}
	}
	for _, s := range a.Runs.Steps {
		if s.Run == "" {
			continue
		}
		if s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
		}
		// Expressions in a script are expanded before the shell sees it,
		// so a crafted branch name could run code: inputs go through env.
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q expands ${{ }} inside its script; pass the value through env:", s.Name)
		}
	}
	return a
}

// fakeGitHub serves the comment endpoints of the REST API for one pull
// request (o/r#7), one comment per page so pagination is exercised. The
// token is a workflow's GITHUB_TOKEN: GET /user is refused, comments are
// written by github-actions[bot]. With readOnly, writes get the 403 a
// read-only token (a pull request from a fork) gets.
type fakeGitHub struct {
	mu       sync.Mutex
	comments []fakeComment
	calls    []string
	readOnly bool
}

type fakeComment struct {
	ID      int64     `json:"id"`
	Body    string    `json:"body"`
	HTMLURL string    `json:"html_url"`
	User    *fakeUser `json:"user,omitempty"`
}

type fakeUser struct {
	Login string `json:"login"`
	Type  string `json:"type"`
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	if r.Header.Get("Authorization") != "Bearer test-token" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Bad credentials"}`)
		return
	}
	var in struct{ Body string }
	json.NewDecoder(r.Body).Decode(&in)
	const list, edit = "/repos/o/r/issues/7/comments", "/repos/o/r/issues/comments/"
	switch {
	case r.URL.Path == "/user" || (f.readOnly && r.Method != http.MethodGet):
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
	case r.Method == http.MethodGet && r.URL.Path == list:
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		if page < len(f.comments) {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?page=%d>; rel="next"`, r.Host, list, page+1))
		}
		out := []fakeComment{}
		if page <= len(f.comments) {
			out = f.comments[page-1 : page]
		}
		json.NewEncoder(w).Encode(out)
	case r.Method == http.MethodPost && r.URL.Path == list:
		id := int64(1000 + len(f.comments))
		c := fakeComment{ID: id, Body: in.Body, HTMLURL: fmt.Sprintf("https://github.test/o/r/pull/7#issuecomment-%d", id),
			User: &fakeUser{Login: "github-actions[bot]", Type: "Bot"}}
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, edit):
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, edit), 10, 64)
		for i := range f.comments {
			if f.comments[i].ID == id {
				f.comments[i].Body = in.Body
				json.NewEncoder(w).Encode(f.comments[i])
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found"}`)
	}
}

func (f *fakeGitHub) snapshot() ([]fakeComment, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	calls := f.calls
	f.calls = nil
	return append([]fakeComment(nil), f.comments...), calls
}

// reviewer is a person commenting on the pull request.
var reviewer = &fakeUser{Login: "lena-fischer", Type: "User"}

// fixture is a clone of a repository whose workspace lives in okrs/, with
// the pull request's branch checked out, as actions/checkout leaves it
// with fetch-depth: 0.
type fixture struct {
	t        *testing.T
	upstream string
	work     string
	env      []string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	f := &fixture{t: t, upstream: filepath.Join(dir, "upstream"), work: filepath.Join(dir, "work")}
	f.env = append(cleanEnv(),
		"HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(dir, "gitconfig"),
		"GIT_AUTHOR_NAME=Priya Nair", "GIT_AUTHOR_EMAIL=priya@example.com",
		"GIT_COMMITTER_NAME=Priya Nair", "GIT_COMMITTER_EMAIL=priya@example.com")
	ws := filepath.Join(f.upstream, "okrs")
	for _, name := range []string{"okr.yaml", "org.yaml", "cycles.yaml", "objectives"} {
		copyTree(t, filepath.Join("../../examples", name), filepath.Join(ws, name))
	}
	f.git(f.upstream, "init", "-q", "-b", "main")
	f.commit(f.upstream, "2026-11-20T10:00:00Z", "OKRs for Q4")
	f.git(f.upstream, "checkout", "-q", "-b", "feature")
	// The pull request makes a target easier mid-cycle (a goalpost) and
	// names an owner org.yaml does not know (a validation error).
	f.edit("okrs/objectives/engineering/platform/reliability.yaml",
		"    target: 300\n", "    target: 400\n",
		"    owner: priya-nair\n", "    owner: nobody-here\n")
	f.commit(f.upstream, "2026-11-21T10:00:00Z", "Relax the latency target")
	f.git(filepath.Dir(f.work), "clone", "-q", "--branch", "feature", f.upstream, f.work)
	return f
}

func (f *fixture) git(dir string, args ...string) string {
	f.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = f.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		f.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (f *fixture) commit(dir, date, msg string) {
	f.t.Helper()
	f.git(dir, "add", "-A")
	cmd := exec.Command("git", "commit", "-q", "-m", msg)
	cmd.Dir = dir
	cmd.Env = append(f.env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	if out, err := cmd.CombinedOutput(); err != nil {
		f.t.Fatalf("git commit: %v\n%s", err, out)
	}
}

// edit replaces old with new (pairs) in the upstream file rel, once each.
func (f *fixture) edit(rel string, pairs ...string) {
	f.t.Helper()
	p := filepath.Join(f.upstream, rel)
	data, err := os.ReadFile(p)
	if err != nil {
		f.t.Fatal(err)
	}
	s := string(data)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			f.t.Fatalf("%s has no %q", rel, pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// push moves the upstream branch on and fetches it into the clone, as a
// new push to the pull request does before the workflow runs again.
func (f *fixture) push(date, msg string, pairs ...string) {
	f.t.Helper()
	f.edit("okrs/objectives/engineering/platform/reliability.yaml", pairs...)
	f.commit(f.upstream, date, msg)
	f.git(f.work, "pull", "-q", "--ff-only")
}

// run is one run of the action's job.
type run struct {
	stdout   map[string]string // by step id
	exit     map[string]int
	summary  string
	output   map[string]string // $GITHUB_OUTPUT by step id
	path     string            // $GITHUB_PATH
	temp     string
	executed []string
}

// runAction runs the action's run: steps in order, the way the runner
// does: bash -eo pipefail, the step's env: with its expressions expanded,
// the GITHUB_* variables of a job, fresh files for the summary and the
// outputs. The install step is skipped (it downloads or compiles okr; see
// TestActionInstall); the okr on PATH is this test binary (see TestMain).
func runAction(t *testing.T, a actionFile, f *fixture, event string, inputs map[string]string, apiURL string) run {
	t.Helper()
	return runSteps(t, a, f, jobRun{event: event, inputs: inputs, apiURL: apiURL})
}

// jobRun says which steps runSteps runs, and how.
type jobRun struct {
	event  string
	inputs map[string]string
	apiURL string
	// steps are the ids of the steps to run; nil runs every step but
	// install.
	steps []string
	// env is added to (and overrides) the job's environment, as a
	// workflow's env: does.
	env []string
}

func runSteps(t *testing.T, a actionFile, f *fixture, j jobRun) run {
	t.Helper()
	event, inputs, apiURL := j.event, j.inputs, j.apiURL
	tmp := t.TempDir()
	head := f.git(f.work, "rev-parse", "HEAD")
	payload := map[string]any{"ref": "refs/heads/feature"}
	if event == "pull_request" {
		payload = map[string]any{"action": "synchronize", "number": 7, "pull_request": map[string]any{
			"number": 7, "head": map[string]any{"sha": head, "ref": "feature"}, "base": map[string]any{"ref": "main"}}}
	}
	eventJSON, _ := json.Marshal(payload)
	eventPath := filepath.Join(tmp, "event.json")
	must(t, os.WriteFile(eventPath, eventJSON, 0o644))
	summary := filepath.Join(tmp, "summary.md")
	runnerTemp := filepath.Join(tmp, "runner-temp")
	must(t, os.MkdirAll(runnerTemp, 0o755))
	must(t, os.WriteFile(summary, nil, 0o644))
	actionPath, _ := filepath.Abs("../..")
	base := append(append([]string(nil), f.env...),
		"CI=true", "GITHUB_ACTIONS=true", "RUNNER_OS=Linux", "RUNNER_ARCH=X64", "RUNNER_TEMP="+runnerTemp,
		"GITHUB_WORKSPACE="+f.work, "GITHUB_ACTION_PATH="+actionPath, "GITHUB_REPOSITORY=o/r",
		"GITHUB_EVENT_NAME="+event, "GITHUB_EVENT_PATH="+eventPath, "GITHUB_API_URL="+apiURL,
		"GITHUB_SERVER_URL=https://github.test", "GITHUB_STEP_SUMMARY="+summary,
		"GITHUB_PATH="+filepath.Join(tmp, "path"), "GITHUB_ENV="+filepath.Join(tmp, "env"),
		"OKR_TODAY=2026-11-23", "NO_COLOR=1")
	if event == "pull_request" {
		base = append(base, "GITHUB_BASE_REF=main", "GITHUB_HEAD_REF=feature", "GITHUB_REF=refs/pull/7/merge")
	} else {
		base = append(base, "GITHUB_BASE_REF=", "GITHUB_HEAD_REF=", "GITHUB_REF=refs/heads/feature")
	}
	base = append(base, j.env...)
	expr := regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
	eval := func(e string) string {
		switch {
		case strings.HasPrefix(e, "inputs."):
			name := strings.TrimPrefix(e, "inputs.")
			if v, ok := inputs[name]; ok {
				return v
			}
			in, ok := a.Inputs[name]
			if !ok {
				t.Fatalf("action.yml uses undeclared input %q", name)
			}
			if strings.Contains(in.Default, "${{") {
				return expr.ReplaceAllStringFunc(in.Default, func(m string) string {
					if expr.FindStringSubmatch(m)[1] == "github.token" {
						return "test-token"
					}
					t.Fatalf("default %q: unknown expression", in.Default)
					return ""
				})
			}
			return in.Default
		case e == "github.token":
			return "test-token"
		case e == "github.action_path":
			return actionPath
		case strings.HasPrefix(e, "github.event."):
			var v any = payload
			for _, k := range strings.Split(strings.TrimPrefix(e, "github.event."), ".") {
				m, _ := v.(map[string]any)
				v = m[k]
			}
			if v == nil {
				return ""
			}
			return fmt.Sprint(v)
		}
		t.Fatalf("action.yml: the test does not know the expression %q", e)
		return ""
	}
	r := run{stdout: map[string]string{}, exit: map[string]int{}, output: map[string]string{}, temp: runnerTemp}
	for i, s := range a.Runs.Steps {
		if s.Run == "" || (j.steps == nil && s.ID == "install") || (j.steps != nil && !slices.Contains(j.steps, s.ID)) {
			continue
		}
		id := s.ID
		if id == "" {
			id = fmt.Sprintf("step%d", i)
		}
		script := filepath.Join(tmp, id+".sh")
		must(t, os.WriteFile(script, []byte(s.Run), 0o644))
		outFile := filepath.Join(tmp, id+".output")
		must(t, os.WriteFile(outFile, nil, 0o644))
		env := append(append([]string(nil), base...), "GITHUB_OUTPUT="+outFile)
		for k, v := range s.Env {
			env = append(env, k+"="+expr.ReplaceAllStringFunc(v, func(m string) string { return eval(expr.FindStringSubmatch(m)[1]) }))
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = f.work
		cmd.Env = env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("step %q: %v", s.Name, err)
		}
		t.Logf("step %q exited %d\nstdout:\n%s\nstderr:\n%s", s.Name, code, stdout.String(), stderr.String())
		r.stdout[id], r.exit[id] = stdout.String()+stderr.String(), code
		out, _ := os.ReadFile(outFile)
		r.output[id] = string(out)
		r.executed = append(r.executed, id)
		if code != 0 {
			break // later steps would be skipped by the runner
		}
	}
	data, _ := os.ReadFile(summary)
	r.summary = string(data)
	data, _ = os.ReadFile(filepath.Join(tmp, "path"))
	r.path = string(data)
	return r
}

// TestAction runs the GitHub Action's scripts from action.yml against a
// fixture repository with a simulated pull-request event and a fake
// comment API on loopback: annotations, job summary, comment, fail-on
// policy; a second run after another push updates the comment instead of
// adding one; a push event writes no comment.
func TestAction(t *testing.T) {
	a := readAction(t)
	f := newFixture(t)
	api := &fakeGitHub{comments: []fakeComment{{ID: 1, Body: "Looks good to me", HTMLURL: "https://github.test/o/r/pull/7#issuecomment-1", User: reviewer}}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	inputs := map[string]string{"workspace": "okrs", "fail-on": "error,goalpost"}
	const file = "okrs/objectives/engineering/platform/reliability.yaml"

	// First run: the pull request is opened.
	r := runAction(t, a, f, "pull_request", inputs, srv.URL)
	if got := strings.Join(r.executed, ","); got != "validate,diff,policy" {
		t.Fatalf("steps run: %s, want validate, diff and the policy step", got)
	}
	annotation := regexp.MustCompile(`(?m)^::error file=` + regexp.QuoteMeta(file) + `,line=\d+,col=\d+,title=okr%3A unknown-owner::.*nobody-here`)
	if !annotation.MatchString(r.stdout["validate"]) {
		t.Errorf("validate step printed no unknown-owner annotation on %s:\n%s", file, r.stdout["validate"])
	}
	for _, want := range []string{
		"### OKR validation\n\n:x: `okr validate`: 1 error, 0 warnings in 24 files\n",
		"~~~~text\n" + file + ":",
		"[unknown-owner]",
		"<!-- okr-diff -->\n### OKR changes",
		"Goalpost moved",
		"`p99-latency`",
	} {
		if !strings.Contains(r.summary, want) {
			t.Errorf("job summary lacks %q:\n%s", want, r.summary)
		}
	}
	comments, calls := api.snapshot()
	if len(comments) != 2 || comments[0].Body != "Looks good to me" {
		t.Fatalf("comments after the first run = %+v, want the reviewer's and okr's", comments)
	}
	diffMD, err := os.ReadFile(filepath.Join(r.temp, "okr-action", "diff.md"))
	must(t, err)
	first := comments[1]
	if first.Body != string(diffMD) || !strings.HasPrefix(first.Body, "<!-- okr-diff -->\n") || !strings.Contains(first.Body, "Goalpost moved") {
		t.Errorf("comment body is not the okr diff markdown:\n%s", first.Body)
	}
	if n := strings.Count(strings.Join(calls, "\n"), "POST "); n != 1 {
		t.Errorf("API calls %v: %d POSTs, want 1", calls, n)
	}
	if !strings.Contains(r.output["diff"], "comment-url="+first.HTMLURL+"\n") {
		t.Errorf("diff step outputs %q, want the comment URL", r.output["diff"])
	}
	if r.exit["policy"] != 1 || !strings.Contains(r.stdout["policy"], "validation findings") || !strings.Contains(r.stdout["policy"], "goalposts moved") {
		t.Errorf("policy step exited %d:\n%s\nwant 1 for the finding and the goalpost", r.exit["policy"], r.stdout["policy"])
	}

	// Second run: another push to the pull request fixes the owner and
	// renames the objective.
	f.push("2026-11-22T10:00:00Z", "Fix the owner, rename",
		"    owner: nobody-here\n", "    owner: priya-nair\n",
		"title: Make the platform boringly reliable\n", "title: Make the platform quietly reliable\n")
	r = runAction(t, a, f, "pull_request", inputs, srv.URL)
	comments, calls = api.snapshot()
	if len(comments) != 2 || comments[0].Body != "Looks good to me" || comments[1].ID != first.ID {
		t.Fatalf("comments after the second run = %+v, want the same two", comments)
	}
	joined := strings.Join(calls, "\n")
	if strings.Contains(joined, "POST ") || !strings.Contains(joined, fmt.Sprintf("PATCH /repos/o/r/issues/comments/%d", first.ID)) {
		t.Errorf("second run API calls:\n%s\nwant the okr comment patched, nothing posted", joined)
	}
	if !strings.Contains(comments[1].Body, "quietly reliable") || comments[1].Body == first.Body {
		t.Errorf("comment was not updated with the new change:\n%s", comments[1].Body)
	}
	if strings.Contains(r.stdout["validate"], "::error") || !strings.Contains(r.summary, ":white_check_mark: `okr validate`: 24 files ok") {
		t.Errorf("second run still reports findings:\n%s\n%s", r.stdout["validate"], r.summary)
	}
	if r.exit["policy"] != 1 || strings.Contains(r.stdout["policy"], "validation findings") || !strings.Contains(r.stdout["policy"], "goalposts moved") {
		t.Errorf("policy step exited %d:\n%s\nwant 1 for the goalpost only", r.exit["policy"], r.stdout["policy"])
	}

	// A push to a branch: validation only, no comment, the policy passes
	// with fail-on: error now that the workspace is valid.
	r = runAction(t, a, f, "push", map[string]string{"workspace": "okrs"}, srv.URL)
	if _, calls = api.snapshot(); len(calls) != 0 {
		t.Errorf("a push event called the API: %v", calls)
	}
	if r.exit["policy"] != 0 || strings.Contains(r.summary, "okr-diff") || !strings.Contains(r.stdout["diff"], "not a pull request") {
		t.Errorf("push run: policy exit %d, summary:\n%s\ndiff step:\n%s", r.exit["policy"], r.summary, r.stdout["diff"])
	}
}

// TestActionNoOKRChanges checks that a pull request that changes no OKR
// file gets no comment, and the summary says so.
func TestActionNoOKRChanges(t *testing.T) {
	a := readAction(t)
	f := newFixture(t)
	f.git(f.work, "checkout", "-q", "-b", "code-only", "origin/main")
	must(t, os.WriteFile(filepath.Join(f.work, "README.md"), []byte("# Code\n"), 0o644))
	f.commit(f.work, "2026-11-21T11:00:00Z", "Code only")
	api := &fakeGitHub{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	r := runAction(t, a, f, "pull_request", map[string]string{"workspace": "okrs"}, srv.URL)
	comments, calls := api.snapshot()
	if len(comments) != 0 || strings.Contains(strings.Join(calls, " "), "POST") {
		t.Errorf("a pull request without OKR changes got a comment: %+v (calls %v)", comments, calls)
	}
	if !strings.Contains(r.summary, "No OKR changes between") || r.exit["policy"] != 0 || r.output["diff"] != "" {
		t.Errorf("summary:\n%s\npolicy exit %d, outputs %q", r.summary, r.exit["policy"], r.output["diff"])
	}
}

// TestActionInputs runs the action on the fixture's pull request with other
// inputs and APIs: comment: false, the fail-on policies, a read-only token
// (a pull request from a fork) and a reviewer's comment that starts with
// okr's marker.
func TestActionInputs(t *testing.T) {
	a := readAction(t)
	const file = "okrs/objectives/engineering/platform/reliability.yaml"
	// fixOwner makes the pull request valid; its goalpost stays.
	fixOwner := func(f *fixture) {
		f.push("2026-11-22T10:00:00Z", "Fix the owner", "    owner: nobody-here\n", "    owner: priya-nair\n")
	}
	// warnOnly leaves one warning (kr-direction: an increase key result
	// whose target is below its start) and no error.
	warnOnly := func(f *fixture) {
		f.push("2026-11-22T10:00:00Z", "Fix the owner, flip the type",
			"    owner: nobody-here\n", "    owner: priya-nair\n", "    type: decrease\n", "    type: increase\n")
	}
	posted := func(calls []string) int { return strings.Count(strings.Join(calls, "\n"), "POST ") }
	tests := []struct {
		name     string
		setup    func(*fixture)
		inputs   map[string]string
		readOnly bool
		existing []fakeComment
		check    func(t *testing.T, r run, comments []fakeComment, calls []string)
	}{
		{
			name:   "comment false calls no API",
			inputs: map[string]string{"comment": "false"},
			check: func(t *testing.T, r run, comments []fakeComment, calls []string) {
				if len(calls) != 0 || len(comments) != 0 {
					t.Errorf("comment: false called the API: %v, comments %+v", calls, comments)
				}
				if r.exit["diff"] != 0 || r.output["diff"] != "" || !strings.Contains(r.summary, "Goalpost moved") {
					t.Errorf("diff step exit %d, outputs %q; the summary should still hold the diff:\n%s", r.exit["diff"], r.output["diff"], r.summary)
				}
				if r.exit["policy"] != 1 || !strings.Contains(r.stdout["policy"], "validation findings") {
					t.Errorf("policy step exited %d:\n%s\nwant 1 for the error (fail-on: error)", r.exit["policy"], r.stdout["policy"])
				}
			},
		},
		{
			name:   "fail-on warning fails on a warning (--strict)",
			setup:  warnOnly,
			inputs: map[string]string{"fail-on": "warning"},
			check: func(t *testing.T, r run, _ []fakeComment, _ []string) {
				warning := regexp.MustCompile(`(?m)^::warning file=` + regexp.QuoteMeta(file) + `,line=\d+,col=\d+,title=okr%3A kr-direction::`)
				if !warning.MatchString(r.stdout["validate"]) || strings.Contains(r.stdout["validate"], "::error") {
					t.Errorf("validate step: want one kr-direction warning annotation and no error:\n%s", r.stdout["validate"])
				}
				if !strings.Contains(r.summary, ":x: `okr validate`: 0 errors, 1 warning") || !strings.Contains(r.summary, "[kr-direction]") {
					t.Errorf("summary does not fail the warning:\n%s", r.summary)
				}
				if r.exit["policy"] != 1 || !strings.Contains(r.stdout["policy"], "validation findings (fail-on: warning)") {
					t.Errorf("policy step exited %d:\n%s\nwant 1 for the warning", r.exit["policy"], r.stdout["policy"])
				}
			},
		},
		{
			name:   "fail-on error passes a warning",
			setup:  warnOnly,
			inputs: map[string]string{"fail-on": "error"},
			check: func(t *testing.T, r run, _ []fakeComment, _ []string) {
				if !strings.Contains(r.stdout["validate"], "::warning file="+file) {
					t.Errorf("validate step: want the warning annotated:\n%s", r.stdout["validate"])
				}
				if !strings.Contains(r.summary, ":white_check_mark: `okr validate`: 0 errors, 1 warning") {
					t.Errorf("summary:\n%s\nwant a passing validation with the warning", r.summary)
				}
				if r.exit["policy"] != 0 {
					t.Errorf("policy step exited %d:\n%s\nwant 0: warnings do not fail fail-on: error", r.exit["policy"], r.stdout["policy"])
				}
			},
		},
		{
			name:   "fail-on none never fails",
			inputs: map[string]string{"fail-on": "none"},
			check: func(t *testing.T, r run, comments []fakeComment, calls []string) {
				if got := strings.Join(r.executed, ","); got != "validate,diff,policy" {
					t.Errorf("steps run: %s", got)
				}
				if !strings.Contains(r.stdout["validate"], "::error file="+file) || !strings.Contains(r.summary, "Goalpost moved") {
					t.Errorf("fail-on: none still annotates and summarises; validate:\n%s\nsummary:\n%s", r.stdout["validate"], r.summary)
				}
				if posted(calls) != 1 || len(comments) != 1 {
					t.Errorf("fail-on: none still comments: calls %v", calls)
				}
				if r.exit["policy"] != 0 || strings.Contains(r.stdout["policy"], "failing") {
					t.Errorf("policy step exited %d:\n%s\nwant 0 despite the error and the goalpost", r.exit["policy"], r.stdout["policy"])
				}
			},
		},
		{
			name:     "a 403 from the comment API is a warning",
			setup:    fixOwner,
			inputs:   map[string]string{"fail-on": "error"},
			readOnly: true,
			check: func(t *testing.T, r run, comments []fakeComment, calls []string) {
				if posted(calls) != 1 || len(comments) != 0 {
					t.Errorf("calls %v, comments %+v: want one refused POST", calls, comments)
				}
				out := r.stdout["diff"]
				if r.exit["diff"] != 0 || !strings.Contains(out, "::warning title=okr::could not write the pull-request comment") ||
					!strings.Contains(out, "403 Resource not accessible by integration") || !strings.Contains(out, "pull-requests: write") {
					t.Errorf("diff step exited %d:\n%s\nwant 0 with a warning, the API's message and the hint", r.exit["diff"], out)
				}
				if strings.Contains(out, "::error") || r.output["diff"] != "" {
					t.Errorf("a refused comment is not an error: %s, outputs %q", out, r.output["diff"])
				}
				if r.exit["policy"] != 0 {
					t.Errorf("policy step exited %d:\n%s\nwant 0: the comment is best effort", r.exit["policy"], r.stdout["policy"])
				}
			},
		},
		{
			name:     "a reviewer's comment with the marker is not taken over",
			inputs:   map[string]string{"fail-on": "none"},
			existing: []fakeComment{{ID: 1, Body: "<!-- okr-diff -->\n> copied from okr: the target moved", HTMLURL: "https://github.test/o/r/pull/7#issuecomment-1", User: reviewer}},
			check: func(t *testing.T, r run, comments []fakeComment, calls []string) {
				if len(comments) != 2 || comments[0].Body != "<!-- okr-diff -->\n> copied from okr: the target moved" || comments[1].User.Login != "github-actions[bot]" {
					t.Errorf("comments %+v: want the reviewer's untouched and okr's own", comments)
				}
				if strings.Contains(strings.Join(calls, " "), "PATCH") || posted(calls) != 1 {
					t.Errorf("calls %v: want a new comment, no edit", calls)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			api := &fakeGitHub{comments: tt.existing, readOnly: tt.readOnly}
			srv := httptest.NewServer(api)
			defer srv.Close()
			inputs := map[string]string{"workspace": "okrs"}
			for k, v := range tt.inputs {
				inputs[k] = v
			}
			r := runAction(t, a, f, "pull_request", inputs, srv.URL)
			comments, calls := api.snapshot()
			tt.check(t, r, comments, calls)
		})
	}
}

// TestActionInstall runs the install step: the download branch (version:
// set) against a fake release server on loopback, reached through
// OKR_RELEASE_BASE_URL, with real archives and checksums.txt, including the
// failures that must stop the job before okr is on PATH; and the
// build-from-source branch (version empty), which compiles okr with Go.
func TestActionInstall(t *testing.T) {
	a := readAction(t)
	var install actionStep
	for _, s := range a.Runs.Steps {
		if s.ID == "install" {
			install = s
		}
	}
	if !strings.Contains(install.Run, `"${OKR_RELEASE_BASE_URL:-https://github.com/okrkit/okr/releases/download}"`) {
		t.Fatalf("the install step does not default OKR_RELEASE_BASE_URL to the GitHub releases:\n%s", install.Run)
	}
	for _, tool := range []string{"curl", "tar", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	f := newFixture(t)

	script := "#!/bin/sh\necho 'okr 1.2.3 (fake release)'\n"
	files := map[string][]byte{}
	release := func(version string, archives map[string][]byte, sums string) {
		for name, data := range archives {
			files["/mirror/v"+version+"/"+name] = data
		}
		files["/mirror/v"+version+"/checksums.txt"] = []byte(sums)
	}
	good := map[string][]byte{
		"okr_1.2.3_linux_amd64.tar.gz":  tarGz(t, map[string]string{"okr": script, "README.md": "# okr\n"}),
		"okr_1.2.3_darwin_arm64.tar.gz": tarGz(t, map[string]string{"okr": script, "README.md": "# okr\n"}),
		"okr_1.2.3_windows_amd64.zip":   zipOf(t, map[string]string{"okr.exe": script, "README.md": "# okr\n"}),
	}
	release("1.2.3", good, checksums(good)+"0000  okr_1.2.3_linux_amd64.tar.gz.sbom.json\n")
	// 1.2.4's archive is not the one its checksums.txt lists.
	tampered := map[string][]byte{"okr_1.2.4_linux_amd64.tar.gz": tarGz(t, map[string]string{"okr": "#!/bin/sh\necho evil\n"})}
	release("1.2.4", tampered, checksums(map[string][]byte{"okr_1.2.4_linux_amd64.tar.gz": good["okr_1.2.3_linux_amd64.tar.gz"]}))
	// 1.2.5's checksums.txt lists other platforms only.
	partial := map[string][]byte{"okr_1.2.5_linux_amd64.tar.gz": good["okr_1.2.3_linux_amd64.tar.gz"]}
	release("1.2.5", partial, checksums(map[string][]byte{"okr_1.2.5_darwin_arm64.tar.gz": good["okr_1.2.3_darwin_arm64.tar.gz"]}))
	var mu sync.Mutex
	var requests []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.URL.Path)
		mu.Unlock()
		data, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	defer srv.Close()

	tests := []struct {
		name, version, os, arch string
		exe                     string // the binary installed; empty: the step fails
		want                    string // in the step's output
		requests                []string
	}{
		{"linux", "v1.2.3", "Linux", "X64", "okr", "okr 1.2.3 (fake release)",
			[]string{"/mirror/v1.2.3/okr_1.2.3_linux_amd64.tar.gz", "/mirror/v1.2.3/checksums.txt"}},
		{"macOS arm64, version without v", "1.2.3", "macOS", "ARM64", "okr", "okr 1.2.3 (fake release)",
			[]string{"/mirror/v1.2.3/okr_1.2.3_darwin_arm64.tar.gz", "/mirror/v1.2.3/checksums.txt"}},
		{"windows zip", "v1.2.3", "Windows", "X64", "okr.exe", "okr 1.2.3 (fake release)",
			[]string{"/mirror/v1.2.3/okr_1.2.3_windows_amd64.zip", "/mirror/v1.2.3/checksums.txt"}},
		{"checksum mismatch", "v1.2.4", "Linux", "X64", "", "::error title=okr::okr_1.2.4_linux_amd64.tar.gz does not match its SHA-256 in " + srv.URL + "/mirror/v1.2.4/checksums.txt",
			[]string{"/mirror/v1.2.4/okr_1.2.4_linux_amd64.tar.gz", "/mirror/v1.2.4/checksums.txt"}},
		{"archive not in checksums.txt", "v1.2.5", "Linux", "X64", "", "::error title=okr::" + srv.URL + "/mirror/v1.2.5/checksums.txt does not list okr_1.2.5_linux_amd64.tar.gz",
			[]string{"/mirror/v1.2.5/okr_1.2.5_linux_amd64.tar.gz", "/mirror/v1.2.5/checksums.txt"}},
		{"no such release", "v9.9.9", "Linux", "X64", "", "::error title=okr::could not download " + srv.URL + "/mirror/v9.9.9/okr_9.9.9_linux_amd64.tar.gz",
			[]string{"/mirror/v9.9.9/okr_9.9.9_linux_amd64.tar.gz"}},
		{"no release for the runner", "v1.2.3", "Linux", "ARM", "", "::error title=okr::no okr release for ARM", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.os == "Windows" {
				if _, err := exec.LookPath("unzip"); err != nil {
					t.Skip("unzip is not installed")
				}
			}
			mu.Lock()
			requests = nil
			mu.Unlock()
			r := runSteps(t, a, f, jobRun{event: "push", inputs: map[string]string{"version": tt.version}, steps: []string{"install"},
				env: []string{"RUNNER_OS=" + tt.os, "RUNNER_ARCH=" + tt.arch, "OKR_RELEASE_BASE_URL=" + srv.URL + "/mirror/"}})
			bin := filepath.Join(r.temp, "okr-bin")
			mu.Lock()
			got := requests
			mu.Unlock()
			if !slices.Equal(got, tt.requests) {
				t.Errorf("requests %q, want %q", got, tt.requests)
			}
			if !strings.Contains(r.stdout["install"], tt.want) {
				t.Errorf("install step printed:\n%s\nwant %q", r.stdout["install"], tt.want)
			}
			if tt.exe == "" {
				entries, _ := os.ReadDir(bin)
				if r.exit["install"] == 0 || len(entries) != 0 || r.path != "" {
					t.Errorf("install step exited %d, installed %v, GITHUB_PATH %q; want a failure with nothing installed", r.exit["install"], entries, r.path)
				}
				return
			}
			if fi, err := os.Stat(filepath.Join(bin, tt.exe)); r.exit["install"] != 0 || err != nil || fi.Mode()&0o111 == 0 {
				t.Errorf("install step exited %d; %s: %v", r.exit["install"], tt.exe, err)
			}
			if r.path != bin+"\n" {
				t.Errorf("GITHUB_PATH = %q, want %s", r.path, bin)
			}
		})
	}

	t.Run("build from source", func(t *testing.T) {
		if testing.Short() {
			t.Skip("compiles okr; skipped with -short")
		}
		out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS").Output()
		if err != nil {
			t.Skipf("go env: %v", err)
		}
		v := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
		if len(v) != 4 {
			t.Fatalf("go env printed %q", out)
		}
		// The job's HOME is a fresh folder: keep the caches (and stay
		// offline) so the build takes seconds, not a cold compile.
		env := []string{"GOCACHE=" + v[0], "GOMODCACHE=" + v[1], "GOPATH=" + v[2], "GOFLAGS=" + v[3], "GOPROXY=off", "GOTOOLCHAIN=local",
			"OKR_RELEASE_BASE_URL=http://127.0.0.1:1/unused"}
		r := runSteps(t, a, f, jobRun{event: "push", inputs: map[string]string{"version": ""}, steps: []string{"install"}, env: env})
		bin := filepath.Join(r.temp, "okr-bin")
		if r.exit["install"] != 0 || !regexp.MustCompile(`(?m)^okr \S`).MatchString(r.stdout["install"]) {
			t.Fatalf("install step exited %d:\n%s\nwant okr built and its version printed", r.exit["install"], r.stdout["install"])
		}
		if r.path != bin+"\n" {
			t.Errorf("GITHUB_PATH = %q, want %s", r.path, bin)
		}
		cmd := exec.Command(filepath.Join(bin, "okr"), "validate", "-C", "okrs")
		cmd.Dir = f.work
		cmd.Env = append(cleanEnv(), "OKR_TODAY=2026-11-23")
		if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "unknown-owner") {
			t.Errorf("the built okr does not validate the fixture (want its unknown-owner error): %v\n%s", err, out)
		}
	})
}

// tarGz is a .tar.gz holding files (name to content), as goreleaser packs
// a release; every file is executable.
func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		must(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(files[name])), Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(files[name]))
		must(t, err)
	}
	must(t, tw.Close())
	must(t, gz.Close())
	return buf.Bytes()
}

// zipOf is a .zip holding files, as goreleaser packs a Windows release.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		must(t, err)
		_, err = w.Write([]byte(files[name]))
		must(t, err)
	}
	must(t, zw.Close())
	return buf.Bytes()
}

// checksums is a checksums.txt in goreleaser's (and sha256sum's) format.
func checksums(archives map[string][]byte) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(archives)) {
		fmt.Fprintf(&b, "%x  %s\n", sha256.Sum256(archives[name]), name)
	}
	return b.String()
}

// TestActionPolicyErrors checks the fail-on input's validation and the
// workspace errors the action turns into annotations.
func TestActionPolicyErrors(t *testing.T) {
	a := readAction(t)
	f := newFixture(t)
	tests := []struct {
		name   string
		inputs map[string]string
		step   string
		want   string
	}{
		{"unknown policy", map[string]string{"workspace": "okrs", "fail-on": "errors"}, "validate", "::error title=okr::fail-on: unknown policy 'errors'"},
		{"no workspace", map[string]string{"workspace": "missing"}, "policy", "okr could not run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runAction(t, a, f, "push", tt.inputs, "http://127.0.0.1:1")
			if r.exit[tt.step] == 0 || !strings.Contains(r.stdout[tt.step], tt.want) {
				t.Errorf("step %s exited %d:\n%s\nwant a failure with %q", tt.step, r.exit[tt.step], r.stdout[tt.step], tt.want)
			}
		})
	}
}

// cleanEnv is the test's environment without the variables a real CI run
// would leak into the simulated one.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "RUNNER_") || strings.HasPrefix(k, "OKR_") ||
			strings.HasPrefix(k, "GIT_") || k == "GH_TOKEN" || k == "HOME" {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if fi.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	must(t, err)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestPreCommitHooks checks .pre-commit-hooks.yaml: the hooks exist, run
// okr commands that exist, and select workspace files only; then runs each
// hook's entry the way pre-commit does on a workspace with one badly laid
// out file.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	must(t, err)
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		Files         string `yaml:"files"`
		PassFilenames *bool  `yaml:"pass_filenames"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	byID := map[string]int{}
	for i, h := range hooks {
		byID[h.ID] = i
	}
	if len(hooks) != 2 || hooks[byID["okr-validate"]].Entry != "okr validate" || hooks[byID["okr-fmt"]].Entry != "okr fmt" {
		t.Fatalf("hooks = %+v, want okr-validate and okr-fmt", hooks)
	}
	ws := t.TempDir()
	for _, name := range []string{"okr.yaml", "org.yaml", "cycles.yaml", "objectives"} {
		copyTree(t, filepath.Join("../../examples", name), filepath.Join(ws, name))
	}
	messy := filepath.Join(ws, "objectives/engineering/platform/reliability.yaml")
	orig, err := os.ReadFile(messy)
	must(t, err)
	must(t, os.WriteFile(messy, []byte(strings.Replace(string(orig), "cycle: 2026-q4\n", "cycle:   2026-q4   \n", 1)), 0o644))
	for _, h := range hooks {
		if h.Language != "golang" {
			t.Errorf("%s: language %q, want golang", h.ID, h.Language)
		}
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("%s: files: %v", h.ID, err)
		}
		for path, want := range map[string]bool{
			"okr.yaml": true, "okrs/org.yaml": true, "cycles.yaml": true, "cycles.yml": false, "objectives/eng/a.yaml": true,
			"goals/objectives/x.yml": true, ".github/workflows/okr.yml": false, "docker-compose.yaml": false, "myorg.yaml": false,
		} {
			if re.MatchString(path) != want {
				t.Errorf("%s: files matches %s = %v, want %v", h.ID, path, !want, want)
			}
		}
		args := strings.Fields(h.Entry)
		if h.PassFilenames == nil || *h.PassFilenames {
			args = append(args, "okr.yaml", "objectives/engineering/platform/reliability.yaml")
		}
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = ws
		cmd.Env = append(cleanEnv(), "OKR_TODAY=2026-11-23", "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %s: %v\n%s", h.ID, strings.Join(args, " "), err, out)
		}
	}
	if got, _ := os.ReadFile(messy); string(got) != string(orig) {
		t.Errorf("okr-fmt did not restore the layout:\n%s", got)
	}
}
