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
	// me is the token's user (a personal access token); empty, GET /user
	// is refused as it is for GITHUB_TOKEN, and comments are written by
	// github-actions[bot]. userStatus, when set, is GET /user's status.
	me         string
	userStatus int
}

// actions is the author of comments written with GITHUB_TOKEN.
var actions = &User{Login: ActionsBot, Type: "Bot"}

func newFake(t *testing.T, token string, bodies ...string) (*fakeAPI, *httptest.Server) {
	var cs []Comment
	for _, b := range bodies {
		cs = append(cs, Comment{Body: b, User: actions})
	}
	return newFakeWith(t, token, cs...)
}

// newFakeWith serves the comments given (their ids and URLs are set).
func newFakeWith(t *testing.T, token string, comments ...Comment) (*fakeAPI, *httptest.Server) {
	f := &fakeAPI{nextID: 100, token: token}
	for _, c := range comments {
		f.add(c.Body, c.User)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAPI) add(body string, by *User) Comment {
	f.nextID++
	c := Comment{ID: f.nextID, Body: body, HTMLURL: fmt.Sprintf("https://github.test/o/r/pull/7#issuecomment-%d", f.nextID), User: by}
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
	case r.Method == http.MethodGet && r.URL.Path == "/user":
		switch {
		case f.userStatus != 0:
			w.WriteHeader(f.userStatus)
			json.NewEncoder(w).Encode(map[string]string{"message": "Server Error"})
		case f.me == "":
			w.WriteHeader(http.StatusForbidden)
			json.NewEncoder(w).Encode(map[string]string{"message": "Resource not accessible by integration"})
		default:
			json.NewEncoder(w).Encode(User{Login: f.me, Type: "User"})
		}
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
		by := actions
		if f.me != "" {
			by = &User{Login: f.me, Type: "User"}
		}
		json.NewEncoder(w).Encode(f.add(in.Body, by))
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

// TestUpsertAuthor checks that only a marked comment written by the token's
// account is edited: github-actions[bot] always, the token's user when GET
// /user names one (a personal access token), any bot when it is refused (an
// app's installation token); a person's comment that starts with the
// marker is never taken over.
func TestUpsertAuthor(t *testing.T) {
	const marker = "<!-- okr-diff -->"
	person := func(login string) *User { return &User{Login: login, Type: "User"} }
	const (
		list  = "GET /repos/o/r/issues/7/comments"
		user  = "GET /user"
		post  = "POST /repos/o/r/issues/7/comments"
		patch = "PATCH /repos/o/r/issues/comments/"
	)
	tests := []struct {
		name     string
		existing []Comment
		me       string // the token's user; empty: GET /user is refused
		calls    []string
		edited   int64 // the id edited; 0: a new comment was posted
	}{
		{
			name: "a person's comment quoting the marker is left alone",
			existing: []Comment{
				{Body: marker + "\nI copied okr's comment here", User: person("mallory")},
			},
			calls: []string{list, user, post},
		},
		{
			name: "the workflow's comment after a person's marked one",
			existing: []Comment{
				{Body: marker + "\nfake", User: person("mallory")},
				{Body: "LGTM", User: person("priya")},
				{Body: marker + "\nold", User: actions},
			},
			// The workflow's own comment is found without asking GET
			// /user about the person's marked one before it.
			calls:  []string{list, list, patch + "103"},
			edited: 103,
		},
		{
			name: "the workflow's comment before another bot's marked one",
			existing: []Comment{
				{Body: marker + "\nother app", User: &User{Login: "other-app[bot]", Type: "Bot"}},
				{Body: marker + "\nold", User: actions},
			},
			calls:  []string{list, patch + "102"},
			edited: 102,
		},
		{
			name:     "github-actions[bot] without asking GET /user",
			existing: []Comment{{Body: marker + "\nold", User: actions}},
			calls:    []string{list, patch + "101"},
			edited:   101,
		},
		{
			name:     "the token's own user (a personal access token)",
			existing: []Comment{{Body: marker + "\nold", User: person("Priya")}},
			me:       "priya",
			calls:    []string{list, user, patch + "101"},
			edited:   101,
		},
		{
			name:     "a personal access token does not take over another person's",
			existing: []Comment{{Body: marker + "\nfake", User: person("mallory")}},
			me:       "priya",
			calls:    []string{list, user, post},
		},
		{
			name:     "an app token's bot",
			existing: []Comment{{Body: marker + "\nold", User: &User{Login: "okr-app[bot]", Type: "Bot"}}},
			calls:    []string{list, user, patch + "101"},
			edited:   101,
		},
		{
			name:     "another bot when the token is a person's",
			existing: []Comment{{Body: marker + "\nold", User: &User{Login: "renovate[bot]", Type: "Bot"}}},
			me:       "priya",
			calls:    []string{list, user, post},
		},
		{
			name:     "a comment without an author",
			existing: []Comment{{Body: marker + "\nold"}},
			calls:    []string{list, post},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFakeWith(t, "s3cret", tt.existing...)
			f.me = tt.me
			c := &Client{BaseURL: srv.URL, Token: "s3cret", HTTP: srv.Client()}
			res, err := c.Upsert(context.Background(), "o/r", 7, marker, marker+"\nnew", true)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(f.calls, "\n") != strings.Join(tt.calls, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(f.calls, "\n"), strings.Join(tt.calls, "\n"))
			}
			for i, old := range tt.existing {
				got := f.comments[i]
				if got.ID == tt.edited {
					if got.Body != marker+"\nnew" || !res.Updated || res.Comment.ID != got.ID {
						t.Errorf("comment %d was not the one edited: %+v, result %+v", got.ID, got, res)
					}
				} else if got.Body != old.Body {
					t.Errorf("comment %d by %+v was edited: %q", got.ID, old.User, got.Body)
				}
			}
			if tt.edited == 0 && (res.Updated || len(f.comments) != len(tt.existing)+1) {
				t.Errorf("want a new comment: result %+v, comments %+v", res, f.comments)
			}
		})
	}

	// GET /user failing for another reason than a refusal is an error, not
	// a guess that would post a duplicate.
	f, srv := newFakeWith(t, "s3cret", Comment{Body: marker + "\nold", User: person("priya")})
	f.userStatus = http.StatusInternalServerError
	c := &Client{BaseURL: srv.URL, Token: "s3cret", HTTP: srv.Client()}
	if _, err := c.Upsert(context.Background(), "o/r", 7, marker, marker+"\nnew", true); err == nil || !strings.Contains(err.Error(), "GET "+srv.URL+"/user: 500") {
		t.Errorf("error = %v, want the GET /user failure", err)
	}
	if len(f.comments) != 1 || f.comments[0].Body != marker+"\nold" {
		t.Errorf("comments after a failed GET /user: %+v", f.comments)
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
