// Package ghcomment keeps one comment on a GitHub pull request up to date
// through the REST API: it finds the comment that starts with a marker and
// was written by the token's own account, and edits it, or creates it when
// there is none, so a CI job that runs on every push leaves a single comment
// instead of one per run. A comment by anyone else that starts with the
// marker (a reviewer quoting the okr comment) is never edited.
//
// It is the only okr code that talks to the network, and only when the
// hidden `okr github comment` command is run (by the GitHub Action).
package ghcomment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
)

// MaxBody is the longest comment body GitHub accepts, in characters.
const MaxBody = 65536

// Client talks to one GitHub REST API endpoint.
type Client struct {
	// BaseURL is the API root, e.g. https://api.github.com or
	// https://ghe.example.com/api/v3 ($GITHUB_API_URL on Actions).
	BaseURL string
	// Token authenticates the requests ($GITHUB_TOKEN on Actions).
	Token string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// UserAgent names the caller; GitHub rejects requests without one.
	UserAgent string
}

// Comment is an issue or pull-request comment.
type Comment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
	// User is the comment's author.
	User *User `json:"user,omitempty"`
}

// User is a GitHub account.
type User struct {
	Login string `json:"login"`
	// Type is "User", "Bot" or "Organization".
	Type string `json:"type"`
}

// ActionsBot is the account that writes with a workflow's GITHUB_TOKEN.
const ActionsBot = "github-actions[bot]"

// Result says what Upsert did.
type Result struct {
	// Comment is the comment as GitHub returned it after the write; its ID
	// is 0 when nothing was written.
	Comment Comment
	// Updated is true when an existing comment was edited, false when a
	// new one was created or nothing was written.
	Updated bool
}

// APIError is a response with a status other than 2xx.
type APIError struct {
	Method, URL string
	Status      int
	// Message is GitHub's "message" field, or the start of the body.
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.Status, e.Message)
}

// Upsert makes body the text of the marked comment on pull request (or
// issue) number of repo ("owner/name"): the first comment whose body starts
// with marker and whose author is the token's account (see Client.owns) is
// edited, or a new comment is created. body must start with
// marker, so the next run finds it. A body longer than MaxBody is cut at a
// line end with a note. When create is false and there is no marked
// comment, nothing is written.
func (c *Client) Upsert(ctx context.Context, repo string, number int, marker, body string, create bool) (Result, error) {
	if marker == "" || !strings.HasPrefix(body, marker) {
		return Result{}, fmt.Errorf("the comment body must start with the marker %q", marker)
	}
	if !validRepo.MatchString(repo) {
		return Result{}, fmt.Errorf("repository %q is not owner/name", repo)
	}
	if number <= 0 {
		return Result{}, fmt.Errorf("pull request number %d is not positive", number)
	}
	body = Truncate(body, MaxBody)
	existing, err := c.find(ctx, repo, number, marker)
	if err != nil {
		return Result{}, err
	}
	payload := map[string]string{"body": body}
	var out Comment
	if existing != nil {
		err = c.do(ctx, http.MethodPatch, fmt.Sprintf("%s/repos/%s/issues/comments/%d", c.base(), repo, existing.ID), payload, &out, nil)
		return Result{Comment: out, Updated: true}, err
	}
	if !create {
		return Result{}, nil
	}
	err = c.do(ctx, http.MethodPost, fmt.Sprintf("%s/repos/%s/issues/%d/comments", c.base(), repo, number), payload, &out, nil)
	return Result{Comment: out}, err
}

var validRepo = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// find returns the comment starting with marker that the token's account
// wrote, following the pagination links, or nil: the first
// github-actions[bot] one when there is one (a workflow's GITHUB_TOKEN
// writes as it), else the first the token's account owns (see owns).
func (c *Client) find(ctx context.Context, repo string, number int, marker string) (*Comment, error) {
	var marked []*Comment
	next := fmt.Sprintf("%s/repos/%s/issues/%d/comments?per_page=100", c.base(), repo, number)
	for pages := 0; next != "" && pages < 100; pages++ {
		var page []Comment
		var hdr http.Header
		if err := c.do(ctx, http.MethodGet, next, nil, &page, &hdr); err != nil {
			return nil, err
		}
		for i := range page {
			if !strings.HasPrefix(strings.TrimLeft(page[i].Body, " \r\n"), marker) {
				continue
			}
			if page[i].User != nil && page[i].User.Login == ActionsBot {
				return &page[i], nil
			}
			marked = append(marked, &page[i])
		}
		next = nextLink(hdr.Get("Link"))
	}
	var me tokenUser
	for _, m := range marked {
		ok, err := c.owns(ctx, &me, m.User)
		if err != nil {
			return nil, err
		}
		if ok {
			return m, nil
		}
	}
	return nil, nil
}

// tokenUser is the account the token acts as, learned once per Upsert.
type tokenUser struct {
	asked bool
	login string // empty: the token has no user of its own
}

// owns reports whether author, who is not github-actions[bot] (find takes
// that account's comment, the one a workflow's GITHUB_TOKEN writes, without
// asking), is the account the token writes as, so its marked comment may
// be edited:
//
//   - the login GET /user returns for the token (a personal access token);
//   - when GET /user is refused (403 for GITHUB_TOKEN and GitHub App
//     installation tokens, which have no user), any account of type Bot,
//     the "app-name[bot]" an app token writes as.
//
// A person's comment is never taken over unless the token is theirs.
func (c *Client) owns(ctx context.Context, me *tokenUser, author *User) (bool, error) {
	if author == nil || author.Login == "" {
		return false, nil
	}
	if !me.asked {
		var u User
		err := c.do(ctx, http.MethodGet, c.base()+"/user", nil, &u, nil)
		switch {
		case err == nil:
			me.login = u.Login
		case IsForbidden(err):
			// An installation token: no user of its own.
		default:
			return false, err
		}
		me.asked = true
	}
	if me.login != "" {
		return strings.EqualFold(author.Login, me.login), nil
	}
	return author.Type == "Bot", nil
}

// nextLink returns the rel="next" URL of an RFC 8288 Link header, or "".
func nextLink(h string) string {
	for _, part := range strings.Split(h, ",") {
		fields := strings.Split(part, ";")
		u := strings.Trim(strings.TrimSpace(fields[0]), "<>")
		for _, p := range fields[1:] {
			if strings.ReplaceAll(strings.TrimSpace(p), " ", "") == `rel="next"` {
				return u
			}
		}
	}
	return ""
}

func (c *Client) base() string { return strings.TrimRight(c.BaseURL, "/") }

// do sends one request with a JSON body (when in is not nil) and decodes
// the JSON response into out.
func (c *Client) do(ctx context.Context, method, u string, in, out any, hdr *http.Header) error {
	if pu, err := url.Parse(u); err != nil || (pu.Scheme != "https" && pu.Scheme != "http") {
		return fmt.Errorf("bad API URL %q", u)
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	ua := c.UserAgent
	if ua == "" {
		ua = "okr"
	}
	req.Header.Set("User-Agent", ua)
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, u, err)
	}
	if resp.StatusCode/100 != 2 {
		var msg struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(data, &msg) != nil || msg.Message == "" {
			msg.Message = strings.TrimSpace(string(data))
			if len(msg.Message) > 200 {
				msg.Message = msg.Message[:200]
			}
		}
		return &APIError{Method: method, URL: u, Status: resp.StatusCode, Message: msg.Message}
	}
	if hdr != nil {
		*hdr = resp.Header
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode response: %w", method, u, err)
		}
	}
	return nil
}

// Truncate cuts body to at most max characters at a line end, adding a note
// that the rest is in the job summary. A body that fits is returned as is.
func Truncate(body string, max int) string {
	if len([]rune(body)) <= max {
		return body
	}
	const note = "\n\n… cut to fit GitHub's comment size limit; the full text is in the job summary.\n"
	r := []rune(body)[:max-len([]rune(note))]
	s := string(r)
	if i := strings.LastIndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	return s + note
}

// PullRequestNumber reads the pull request (or issue) number from the event
// payload GitHub Actions writes to $GITHUB_EVENT_PATH. It returns 0 when the
// event is not about a pull request or an issue.
func PullRequestNumber(eventPath string) (int, error) {
	data, err := os.ReadFile(eventPath)
	if err != nil {
		return 0, fmt.Errorf("read the event payload: %w", err)
	}
	var ev struct {
		Number      int `json:"number"`
		PullRequest *struct {
			Number int `json:"number"`
		} `json:"pull_request"`
		Issue *struct {
			Number int `json:"number"`
		} `json:"issue"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		return 0, fmt.Errorf("read the event payload %s: %w", eventPath, err)
	}
	switch {
	case ev.PullRequest != nil && ev.PullRequest.Number > 0:
		return ev.PullRequest.Number, nil
	case ev.Issue != nil && ev.Issue.Number > 0:
		return ev.Issue.Number, nil
	}
	return ev.Number, nil
}

// IsForbidden reports whether err is a 401, 403 or 404 from the API, which on
// Actions usually means the token may not write (a pull request from a fork,
// or a workflow without `permissions: pull-requests: write`).
func IsForbidden(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Status == 401 || e.Status == 403 || e.Status == 404)
}
