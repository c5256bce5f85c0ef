package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
// request (o/r#7), one comment per page so pagination is exercised.
type fakeGitHub struct {
	mu       sync.Mutex
	comments []fakeComment
	calls    []string
}

type fakeComment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
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
		c := fakeComment{ID: id, Body: in.Body, HTMLURL: fmt.Sprintf("https://github.test/o/r/pull/7#issuecomment-%d", id)}
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
	temp     string
	executed []string
}

// runAction runs the action's run: steps in order, the way the runner
// does: bash -eo pipefail, the step's env: with its expressions expanded,
// the GITHUB_* variables of a job, fresh files for the summary and the
// outputs. The install step is skipped (it downloads or compiles okr); the
// okr on PATH is this test binary (see TestMain).
func runAction(t *testing.T, a actionFile, f *fixture, event string, inputs map[string]string, apiURL string) run {
	t.Helper()
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
		if s.Run == "" || s.ID == "install" {
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
	api := &fakeGitHub{comments: []fakeComment{{ID: 1, Body: "Looks good to me", HTMLURL: "https://github.test/o/r/pull/7#issuecomment-1"}}}
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
