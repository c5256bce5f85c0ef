package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGitHubComment(t *testing.T) {
	var posted []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("Authorization") != "Bearer tok":
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"message":"Resource not accessible by integration"}`))
		case r.Method == http.MethodGet:
			w.Write([]byte(`[]`))
		case r.Method == http.MethodPost && r.URL.Path == "/repos/o/r/issues/3/comments":
			var in struct{ Body string }
			json.NewDecoder(r.Body).Decode(&in)
			posted = append(posted, in.Body)
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":1,"html_url":"https://github.test/o/r/pull/3#issuecomment-1"}`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	body := filepath.Join(dir, "diff.md")
	if err := os.WriteFile(body, []byte("<!-- okr-diff -->\n### OKR changes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pr := filepath.Join(dir, "pr.json")
	push := filepath.Join(dir, "push.json")
	os.WriteFile(pr, []byte(`{"pull_request":{"number":3}}`), 0o644)
	os.WriteFile(push, []byte(`{"ref":"refs/heads/main"}`), 0o644)
	tests := []struct {
		name    string
		env     map[string]string
		opts    GitHubCommentOptions
		wantOut string
		wantErr string
	}{
		{"creates the comment", map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": pr, "GITHUB_TOKEN": "tok"},
			GitHubCommentOptions{BodyFile: body}, "https://github.test/o/r/pull/3#issuecomment-1\n", ""},
		{"flags instead of the environment", map[string]string{"GH_TOKEN": "tok"},
			GitHubCommentOptions{BodyFile: body, Repo: "o/r", Number: 3}, "https://github.test/o/r/pull/3#issuecomment-1\n", ""},
		{"read-only token", map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": pr, "GITHUB_TOKEN": "ro"},
			GitHubCommentOptions{BodyFile: body}, "", "403 Resource not accessible by integration"},
		{"not a pull request", map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": push, "GITHUB_TOKEN": "tok", "GITHUB_EVENT_NAME": "push"},
			GitHubCommentOptions{BodyFile: body}, "", "the push event is not about a pull request"},
		{"no token", map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": pr},
			GitHubCommentOptions{BodyFile: body}, "", "no token"},
		{"no repository", map[string]string{"GITHUB_TOKEN": "tok"},
			GitHubCommentOptions{BodyFile: body, Number: 3}, "", "no repository"},
		{"no body file", nil, GitHubCommentOptions{}, "", "--body-file is required"},
		{"body without the marker", map[string]string{"GITHUB_TOKEN": "tok"},
			GitHubCommentOptions{BodyFile: pr, Repo: "o/r", Number: 3}, "", "must start with the marker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, out := testEnv(dir)
			vars := map[string]string{"GITHUB_API_URL": srv.URL}
			for k, v := range tt.env {
				vars[k] = v
			}
			env.Getenv = func(k string) string { return vars[k] }
			opts := tt.opts
			opts.IO, opts.Env = env.IO, env
			if opts.Marker == "" {
				opts.Marker = "<!-- okr-diff -->"
			}
			err := runGitHubComment(context.Background(), &opts)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
			if out.String() != tt.wantOut {
				t.Errorf("stdout = %q, want %q", out.String(), tt.wantOut)
			}
		})
	}
	if len(posted) != 2 || posted[0] != "<!-- okr-diff -->\n### OKR changes\n" {
		t.Errorf("posted %q", posted)
	}
	// The command is hidden: not in help, not in the generated reference.
	env, out := testEnv(dir)
	Main([]string{"--help"}, env)
	if strings.Contains(out.String(), "github") {
		t.Errorf("okr --help lists the hidden github command:\n%s", out.String())
	}
	var stderr bytes.Buffer
	env.IO.ErrOut = &stderr
	if code := Main([]string{"github", "comment"}, env); code != ExitError || !strings.Contains(stderr.String(), "--body-file is required") {
		t.Errorf("okr github comment without flags: exit %d, %s", code, stderr.String())
	}
}

// TestGitHubCommentUserAgent checks the User-Agent GitHub requires: the
// version's first word, and okr/dev instead of a panic when the version is
// empty or blank.
func TestGitHubCommentUserAgent(t *testing.T) {
	for version, want := range map[string]string{
		"v1.2.0": "okr/v1.2.0",
		"dev (0123456789ab, 2026-11-23T10:15:00Z)": "okr/dev",
		"":     "okr/dev",
		"  \t": "okr/dev",
	} {
		if got := userAgent(version); got != want {
			t.Errorf("userAgent(%q) = %q, want %q", version, got, want)
		}
	}

	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.Header.Get("User-Agent"))
		if r.Method == http.MethodGet {
			w.Write([]byte(`[]`))
			return
		}
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"id":1,"html_url":"https://github.test/o/r/pull/3#issuecomment-1"}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	body := filepath.Join(dir, "diff.md")
	if err := os.WriteFile(body, []byte("<!-- okr-diff -->\nx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := Version
	defer func() { Version = saved }()
	Version = ""
	env, _ := testEnv(dir)
	vars := map[string]string{"GITHUB_API_URL": srv.URL, "GITHUB_TOKEN": "tok"}
	env.Getenv = func(k string) string { return vars[k] }
	opts := GitHubCommentOptions{IO: env.IO, Env: env, BodyFile: body, Repo: "o/r", Number: 3, Marker: "<!-- okr-diff -->"}
	if err := runGitHubComment(context.Background(), &opts); err != nil {
		t.Fatal(err)
	}
	if len(agents) != 2 || agents[0] != "okr/dev" || agents[1] != "okr/dev" {
		t.Errorf("User-Agent headers %q with an empty version, want okr/dev", agents)
	}
}
