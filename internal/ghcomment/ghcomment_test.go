package ghcomment

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeAPI is the part of GitHub's REST API that Upsert uses, serving two
// comments per page so pagination is exercised.
type fakeAPI struct {
	mu       sync.Mutex
	comments []Comment
	nextID   int64
	calls    []string
	token    string
}

func newFake(t *testing.T, token string, bodies ...string) (*fakeAPI, *httptest.Server) {
	f := &fakeAPI{nextID: 100, token: token}
	for _, b := range bodies {
		f.add(b)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAPI) add(body string) Comment {
	f.nextID++
	c := Comment{ID: f.nextID, Body: body, HTMLURL: fmt.Sprintf("https://github.test/o/r/pull/7#issuecomment-%d", f.nextID)}
	f.comments = append(f.comments, c)
	return c
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	if r.Header.Get("Authorization") != "Bearer "+f.token || r.Header.Get("User-Agent") == "" {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]string{"message": "Bad credentials"})
		return
	}
	var in struct{ Body string }
	if r.Body != nil {
		json.NewDecoder(r.Body).Decode(&in)
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/repos/o/r/issues/7/comments":
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page < 1 {
			page = 1
		}
		lo, hi := (page-1)*2, page*2
		if hi < len(f.comments) {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s/repos/o/r/issues/7/comments?per_page=2&page=%d>; rel="next", <http://x/last>; rel="last"`, r.Host, page+1))
		}
		hi = min(hi, len(f.comments))
		lo = min(lo, hi)
		json.NewEncoder(w).Encode(f.comments[lo:hi])
	case r.Method == http.MethodPost && r.URL.Path == "/repos/o/r/issues/7/comments":
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(f.add(in.Body))
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/o/r/issues/comments/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/repos/o/r/issues/comments/"), 10, 64)
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
		json.NewEncoder(w).Encode(map[string]string{"message": "Not Found"})
	}
}

func TestUpsert(t *testing.T) {
	const marker = "<!-- okr-diff -->"
	tests := []struct {
		name      string
		existing  []string
		wantCalls []string
		updated   bool
		want      []string // every comment body afterwards
	}{
		{
			name:      "creates the first comment",
			existing:  []string{"LGTM"},
			wantCalls: []string{"GET /repos/o/r/issues/7/comments", "POST /repos/o/r/issues/7/comments"},
			want:      []string{"LGTM", marker + "\nnew"},
		},
		{
			name:     "updates the marked comment on a later page",
			existing: []string{"one", "two", "three " + marker, marker + "\nold", marker + "\nduplicate"},
			wantCalls: []string{"GET /repos/o/r/issues/7/comments", "GET /repos/o/r/issues/7/comments",
				"PATCH /repos/o/r/issues/comments/104"},
			updated: true,
			want:    []string{"one", "two", "three " + marker, marker + "\nnew", marker + "\nduplicate"},
		},
		{
			name:      "no comments at all",
			wantCalls: []string{"GET /repos/o/r/issues/7/comments", "POST /repos/o/r/issues/7/comments"},
			want:      []string{marker + "\nnew"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t, "s3cret", tt.existing...)
			c := &Client{BaseURL: srv.URL + "/", Token: "s3cret", HTTP: srv.Client()}
			res, err := c.Upsert(context.Background(), "o/r", 7, marker, marker+"\nnew", true)
			if err != nil {
				t.Fatal(err)
			}
			if res.Updated != tt.updated || res.Comment.Body != marker+"\nnew" || res.Comment.HTMLURL == "" {
				t.Errorf("result = %+v, want updated=%v with the new body", res, tt.updated)
			}
			if strings.Join(f.calls, "\n") != strings.Join(tt.wantCalls, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(f.calls, "\n"), strings.Join(tt.wantCalls, "\n"))
			}
			var bodies []string
			for _, c := range f.comments {
				bodies = append(bodies, c.Body)
			}
			if strings.Join(bodies, "|") != strings.Join(tt.want, "|") {
				t.Errorf("comments = %q, want %q", bodies, tt.want)
			}
		})
	}
}

// TestUpsertUpdateOnly checks that create=false edits an existing comment
// and writes nothing when there is none.
func TestUpsertUpdateOnly(t *testing.T) {
	const marker = "<!-- okr-diff -->"
	for _, existing := range [][]string{{"LGTM"}, {"LGTM", marker + "\nold"}} {
		f, srv := newFake(t, "s3cret", existing...)
		c := &Client{BaseURL: srv.URL, Token: "s3cret", HTTP: srv.Client()}
		res, err := c.Upsert(context.Background(), "o/r", 7, marker, marker+"\nnone", false)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.comments) != len(existing) || res.Updated != (len(existing) == 2) {
			t.Errorf("existing %q: result %+v, comments %+v", existing, res, f.comments)
		}
		if res.Updated && f.comments[1].Body != marker+"\nnone" {
			t.Errorf("existing comment not updated: %+v", f.comments)
		}
		if !res.Updated && (res.Comment.ID != 0 || strings.Contains(strings.Join(f.calls, " "), "POST")) {
			t.Errorf("update-only created a comment: %+v, calls %v", res, f.calls)
		}
	}
}

func TestUpsertErrors(t *testing.T) {
	_, srv := newFake(t, "s3cret")
	tests := []struct {
		name        string
		token, repo string
		number      int
		body        string
		want        string
		forbidden   bool
	}{
		{"bad token", "wrong", "o/r", 7, "<!-- m -->\nx", "401 Bad credentials", true},
		{"unknown pull request", "s3cret", "o/r", 8, "<!-- m -->\nx", "404 Not Found", true},
		{"body without marker", "s3cret", "o/r", 7, "x", "must start with the marker", false},
		{"bad repository", "s3cret", "o/r/x", 7, "<!-- m -->\nx", "not owner/name", false},
		{"no number", "s3cret", "o/r", 0, "<!-- m -->\nx", "not positive", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Client{BaseURL: srv.URL, Token: tt.token, HTTP: srv.Client()}
			_, err := c.Upsert(context.Background(), tt.repo, tt.number, "<!-- m -->", tt.body, true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
			if IsForbidden(err) != tt.forbidden {
				t.Errorf("IsForbidden = %v, want %v", IsForbidden(err), tt.forbidden)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("line of text\n", 100)
	tests := []struct {
		name string
		in   string
		max  int
	}{
		{"fits", "short\n", 100},
		{"cut at a line end", long, 400},
		{"multi-byte text", strings.Repeat("ünïcödé ✓\n", 100), 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.max)
			if n := len([]rune(got)); n > tt.max {
				t.Fatalf("%d characters, want at most %d", n, tt.max)
			}
			if len([]rune(tt.in)) <= tt.max {
				if got != tt.in {
					t.Fatalf("changed a body that fits")
				}
				return
			}
			if !strings.Contains(got, "job summary") || !strings.HasPrefix(tt.in, strings.SplitN(got, "\n\n…", 2)[0]) {
				t.Fatalf("not a prefix with a note:\n%s", got)
			}
		})
	}
}

func TestPullRequestNumber(t *testing.T) {
	tests := []struct {
		name, payload string
		want          int
		err           bool
	}{
		{"pull_request", `{"action":"synchronize","number":12,"pull_request":{"number":12}}`, 12, false},
		{"issue_comment", `{"issue":{"number":5}}`, 5, false},
		{"push", `{"ref":"refs/heads/main"}`, 0, false},
		{"not json", `{`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "event.json")
			if err := os.WriteFile(p, []byte(tt.payload), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := PullRequestNumber(p)
			if (err != nil) != tt.err || got != tt.want {
				t.Fatalf("PullRequestNumber = %d, %v; want %d, error %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestNextLink(t *testing.T) {
	tests := map[string]string{
		``: ``,
		`<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"`:  `https://api.github.com/x?page=2`,
		`<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"`: ``,
	}
	for in, want := range tests {
		if got := nextLink(in); got != want {
			t.Errorf("nextLink(%q) = %q, want %q", in, got, want)
		}
	}
}
