package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func f64(v float64) *float64 { return &v }
func iptr(v int) *int        { return &v }

func TestFile(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"m/deals.csv": "date,team,deals\n2026-10-09,sales,4\n2026-10-23,sales,7\n2026-10-16,sales,5\n2026-10-30,support,99\n",
		"m/nps.json":  `{"score": {"current": 41.5, "list": [1, "2.5", "x"]}, "a/b": {"~c": 3}}`,
		"m/nps.yaml":  "score:\n  current: 17\n",
	})
	env := Env{Root: root}
	for _, tc := range []struct {
		name string
		s    Spec
		want float64
		err  string
	}{
		{"csv latest of team", Spec{Kind: "file", Path: "m/deals.csv", Column: "deals", Where: map[string]string{"team": "sales"}, Latest: "date"}, 7, ""},
		{"csv last row", Spec{Kind: "file", Path: "m/deals.csv", Column: "deals"}, 99, ""},
		{"csv no match", Spec{Kind: "file", Path: "m/deals.csv", Column: "deals", Where: map[string]string{"team": "ops"}}, 0, "no row matches"},
		{"csv no column", Spec{Kind: "file", Path: "m/deals.csv", Column: "won"}, 0, `no column "won"`},
		{"json hit", Spec{Kind: "file", Path: "m/nps.json", Pointer: "/score/current"}, 41.5, ""},
		{"json array index, string number", Spec{Kind: "file", Path: "m/nps.json", Pointer: "/score/list/1"}, 2.5, ""},
		{"json escaped tokens", Spec{Kind: "file", Path: "m/nps.json", Pointer: "/a~1b/~0c"}, 3, ""},
		{"json miss", Spec{Kind: "file", Path: "m/nps.json", Pointer: "/score/old"}, 0, `no key "old"`},
		{"json index out of range", Spec{Kind: "file", Path: "m/nps.json", Pointer: "/score/list/7"}, 0, `no index "7"`},
		{"json not a number", Spec{Kind: "file", Path: "m/nps.json", Pointer: "/score/list/2"}, 0, "is not a number"},
		{"json object is not a number", Spec{Kind: "file", Path: "m/nps.json", Pointer: "/score"}, 0, "not a number"},
		{"yaml hit, scaled and rounded", Spec{Kind: "file", Path: "m/nps.yaml", Pointer: "/score/current", Scale: f64(1.0 / 3), Round: iptr(2)}, 5.67, ""},
		{"missing file", Spec{Kind: "file", Path: "m/none.json", Pointer: "/x"}, 0, "read m/none.json"},
		{"path leaving the workspace", Spec{Kind: "file", Path: "../x.json"}, 0, "leaves the workspace"},
		{"unknown kind", Spec{Kind: "ftp"}, 0, "unknown source kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(context.Background(), tc.s, env)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to contain %q (value %v)", err, tc.err, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

const secret = "s3cr3t-token-value"

func TestHTTP(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"n": 1}`)
	}))
	defer other.Close()
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			if r.Header.Get("Authorization") != "Bearer "+secret {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			fmt.Fprint(w, `{"data": [{"count": 1234}]}`)
		case "/404":
			http.NotFound(w, r)
		case "/500":
			http.Error(w, secret, http.StatusInternalServerError)
		case "/big":
			w.Write([]byte(`{"x": "`))
			chunk := []byte(strings.Repeat("a", 1<<16))
			for i := 0; i < 160; i++ { // 10 MiB
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			w.Write([]byte(`"}`))
		case "/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/away":
			http.Redirect(w, r, other.URL+"/n", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/ok", http.StatusFound)
		}
	}))
	defer srv.Close()
	env := Env{Getenv: func(k string) (string, bool) {
		if k == "METRICS_TOKEN" {
			return secret, true
		}
		return "", false
	}}
	for _, tc := range []struct {
		name string
		s    Spec
		want float64
		err  string
	}{
		{"hit with token", Spec{Kind: "http", URL: srv.URL + "/ok", Pointer: "/data/0/count", TokenEnv: "METRICS_TOKEN"}, 1234, ""},
		{"pointer miss", Spec{Kind: "http", URL: srv.URL + "/ok", Pointer: "/data/1/count", TokenEnv: "METRICS_TOKEN"}, 0, `no index "1"`},
		{"missing token variable", Spec{Kind: "http", URL: srv.URL + "/ok", Pointer: "/x", TokenEnv: "NOPE_TOKEN"}, 0, "environment variable NOPE_TOKEN is not set"},
		{"404", Spec{Kind: "http", URL: srv.URL + "/404", Pointer: "/x"}, 0, "HTTP 404"},
		{"500", Spec{Kind: "http", URL: srv.URL + "/500", Pointer: "/x", TokenEnv: "METRICS_TOKEN"}, 0, "HTTP 500"},
		{"10 MB body over the cap", Spec{Kind: "http", URL: srv.URL + "/big", Pointer: "/x"}, 0, "larger than 1048576 bytes"},
		{"timeout", Spec{Kind: "http", URL: srv.URL + "/slow", Pointer: "/x", Timeout: 50 * time.Millisecond}, 0, "timed out"},
		{"redirect to another host refused", Spec{Kind: "http", URL: srv.URL + "/away", Pointer: "/n"}, 0, "redirect to another host"},
		{"redirect on the same host followed", Spec{Kind: "http", URL: srv.URL + "/here", Pointer: "/data/0/count", TokenEnv: "METRICS_TOKEN"}, 1234, ""},
		{"query redacted", Spec{Kind: "http", URL: srv.URL + "/404?key=" + secret, Pointer: "/x"}, 0, "HTTP 404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(context.Background(), tc.s, env)
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Fatalf("error leaks the secret: %v", err)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to contain %q (value %v)", err, tc.err, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestGitHub(t *testing.T) {
	var gotQ, gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		w.Header().Set("X-RateLimit-Limit", "30")
		w.Header().Set("X-RateLimit-Remaining", "29")
		w.Header().Set("X-RateLimit-Reset", "1767225600")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch r.URL.Path {
		case "/api/v3/search/issues":
			gotQ = r.URL.Query().Get("q")
			fmt.Fprint(w, `{"total_count": 42, "incomplete_results": false, "items": [{"id": 1, "number": 7, "title": "bug", "state": "open"}]}`)
		case "/api/v3/repos/acme/app":
			fmt.Fprint(w, `{"id": 1, "full_name": "acme/app", "stargazers_count": 310, "forks_count": 12, "open_issues_count": 5, "subscribers_count": 9, "size": 2048}`)
		default:
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message": "API rate limit exceeded"}`)
		}
	}))
	defer srv.Close()
	env := Env{Getenv: func(k string) (string, bool) {
		switch k {
		case "GITHUB_API_URL":
			return srv.URL + "/api/v3", true
		case "GITHUB_TOKEN":
			return secret, true
		}
		return "", false
	}}
	v, err := Read(context.Background(), Spec{Kind: "github", Search: "repo:acme/app is:issue is:open label:bug"}, env)
	if err != nil || v != 42 {
		t.Fatalf("search: %v, %v; want 42", v, err)
	}
	if gotQ != "repo:acme/app is:issue is:open label:bug" || gotAuth != "Bearer "+secret {
		t.Errorf("query %q, auth %q", gotQ, gotAuth)
	}
	v, err = Read(context.Background(), Spec{Kind: "github", Repo: "acme/app", Metric: "stars"}, env)
	if err != nil || v != 310 {
		t.Fatalf("stars: %v, %v; want 310", v, err)
	}
	_, err = Read(context.Background(), Spec{Kind: "github", Repo: "acme/gone", Metric: "forks"}, env)
	if err == nil || !strings.Contains(err.Error(), "HTTP 403") || strings.Contains(err.Error(), secret) {
		t.Fatalf("rate-limited: %v", err)
	}
}

func TestCommand(t *testing.T) {
	root := writeFiles(t, map[string]string{"count.sh": "#!/bin/sh\necho \" 17.5 \"\n", "bad.sh": "#!/bin/sh\necho many\n"})
	for _, n := range []string{"count.sh", "bad.sh"} {
		os.Chmod(filepath.Join(root, n), 0o755)
	}
	s := Spec{Kind: "command", Argv: []string{"./count.sh"}}
	if _, err := Read(context.Background(), s, Env{Root: root}); !errors.Is(err, ErrCommandsNotAllowed) {
		t.Fatalf("commands not allowed: err = %v", err)
	}
	v, err := Read(context.Background(), s, Env{Root: root, AllowCommands: true})
	if err != nil || v != 17.5 {
		t.Fatalf("allowed: %v, %v; want 17.5", v, err)
	}
	if _, err := Read(context.Background(), Spec{Kind: "command", Argv: []string{"./bad.sh"}}, Env{Root: root, AllowCommands: true}); err == nil || !strings.Contains(err.Error(), "not a number") {
		t.Fatalf("non-number output: %v", err)
	}
}
