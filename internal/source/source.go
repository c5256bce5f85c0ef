// Package source reads a key result's value from where its source: names
// it: a file in the workspace (CSV column or JSON/YAML pointer), an HTTP
// JSON document, a GitHub count, or a command. It never reads the clock
// and never prints; secrets come from the environment through Env.Getenv
// and never appear in an error.
package source

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Spec is a key result's source: (see docs/sources.md).
type Spec struct {
	Kind                  string
	Path, Pointer, Column string
	Where                 map[string]string
	Latest                string
	URL, TokenEnv         string
	HeadersEnv            map[string]string
	MaxBytes              int64
	Search, Repo, Metric  string
	Argv                  []string
	Scale                 *float64
	Round                 *int
	Timeout               time.Duration
}

// Env is what reading a source may use.
type Env struct {
	Root          string                      // workspace root; file paths are relative to it
	Getenv        func(string) (string, bool) // environment lookup (tokens, GITHUB_API_URL)
	Client        *http.Client                // nil: a client without redirects to other hosts
	AllowCommands bool                        // okr.yaml sync.allow_commands and --allow-commands
}

// DefaultTimeout and DefaultMaxBytes apply when a source sets none.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultMaxBytes = 1 << 20
)

// ErrCommandsNotAllowed is returned for a command source when Env does not
// allow commands.
var ErrCommandsNotAllowed = errors.New("command sources run only with sync.allow_commands: true in okr.yaml and --allow-commands")

// Read returns the source's value, scaled and rounded.
func Read(ctx context.Context, s Spec, env Env) (float64, error) {
	t := s.Timeout
	if t <= 0 {
		t = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, t)
	defer cancel()
	var v float64
	var err error
	switch s.Kind {
	case "file":
		v, err = readFile(s, env)
	case "http":
		v, err = readHTTP(ctx, s, env)
	case "github":
		v, err = readGitHub(ctx, s, env)
	case "command":
		v, err = readCommand(ctx, s, env)
	default:
		return 0, fmt.Errorf("unknown source kind %q", s.Kind)
	}
	if err != nil {
		return 0, err
	}
	if s.Scale != nil {
		v *= *s.Scale
	}
	if s.Round != nil {
		p := math.Pow(10, float64(*s.Round))
		v = math.Round(v*p) / p
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("value is not a finite number")
	}
	return v, nil
}

func readFile(s Spec, env Env) (float64, error) {
	if filepath.IsAbs(s.Path) || strings.HasPrefix(filepath.Clean(s.Path), "..") {
		return 0, fmt.Errorf("path %q leaves the workspace", s.Path)
	}
	data, err := os.ReadFile(filepath.Join(env.Root, filepath.FromSlash(s.Path)))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", s.Path, errors.Unwrap(err))
	}
	switch strings.ToLower(filepath.Ext(s.Path)) {
	case ".csv":
		return fromCSV(data, s)
	case ".json":
		return fromJSON(data, s.Pointer)
	case ".yaml", ".yml":
		var doc any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return 0, fmt.Errorf("%s is not valid YAML", s.Path)
		}
		return at(doc, s.Pointer)
	}
	return 0, fmt.Errorf("%s: a file source is a .csv, .json or .yaml file", s.Path)
}

// fromCSV picks the value column of the rows matching Where; of those, the
// row with the latest Latest value (ISO dates sort as text), else the last.
func fromCSV(data []byte, s Spec) (float64, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return 0, fmt.Errorf("%s is not valid CSV: %v", s.Path, err)
	}
	if len(rows) < 2 {
		return 0, fmt.Errorf("%s has no data rows", s.Path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	need := func(name string) (int, error) {
		i, ok := col[name]
		if !ok {
			return 0, fmt.Errorf("%s has no column %q", s.Path, name)
		}
		return i, nil
	}
	vi, err := need(s.Column)
	if err != nil {
		return 0, err
	}
	li := -1
	if s.Latest != "" {
		if li, err = need(s.Latest); err != nil {
			return 0, err
		}
	}
	var pick []string
	for _, row := range rows[1:] {
		keep := true
		for k, want := range s.Where {
			i, err := need(k)
			if err != nil {
				return 0, err
			}
			if i >= len(row) || strings.TrimSpace(row[i]) != want {
				keep = false
				break
			}
		}
		if !keep {
			continue
		}
		if pick == nil || li < 0 || li < len(row) && li < len(pick) && strings.TrimSpace(row[li]) >= strings.TrimSpace(pick[li]) {
			pick = row
		}
	}
	if pick == nil {
		return 0, fmt.Errorf("%s: no row matches", s.Path)
	}
	if vi >= len(pick) {
		return 0, fmt.Errorf("%s: the row has no %q value", s.Path, s.Column)
	}
	return number(strings.TrimSpace(pick[vi]))
}

func number(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", clip(s))
	}
	return v, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func fromJSON(data []byte, ptr string) (float64, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return 0, fmt.Errorf("the document is not valid JSON")
	}
	return at(doc, ptr)
}

// at resolves an RFC 6901 JSON Pointer and returns the number there.
func at(doc any, ptr string) (float64, error) {
	if ptr != "" && !strings.HasPrefix(ptr, "/") {
		return 0, fmt.Errorf("pointer %q does not start with /", ptr)
	}
	cur := doc
	if ptr != "" {
		for _, tok := range strings.Split(ptr[1:], "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch c := cur.(type) {
			case map[string]any:
				v, ok := c[tok]
				if !ok {
					return 0, fmt.Errorf("pointer %q: no key %q", ptr, tok)
				}
				cur = v
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(c) || tok != strconv.Itoa(i) {
					return 0, fmt.Errorf("pointer %q: no index %q", ptr, tok)
				}
				cur = c[i]
			default:
				return 0, fmt.Errorf("pointer %q: %q is inside a value that is not an object or array", ptr, tok)
			}
		}
	}
	switch v := cur.(type) {
	case json.Number:
		return number(v.String())
	case int:
		return float64(v), nil
	case float64:
		return v, nil
	case string:
		return number(v)
	}
	return 0, fmt.Errorf("pointer %q: the value is not a number", ptr)
}

func getenv(env Env, name string) (string, bool) {
	if env.Getenv == nil {
		return "", false
	}
	return env.Getenv(name)
}

// client refuses redirects to another host.
func client(env Env) *http.Client {
	base := env.Client
	if base == nil {
		base = &http.Client{}
	}
	c := *base
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if req.URL.Host != via[0].URL.Host {
			return fmt.Errorf("redirect to another host (%s) refused", req.URL.Host)
		}
		return nil
	}
	return &c
}

// getJSON GETs u with the headers and returns at most max bytes of body.
func getJSON(ctx context.Context, env Env, u string, headers http.Header, max int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL")
	}
	req.Header = headers
	req.Header.Set("Accept", "application/json")
	resp, err := client(env).Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("GET %s: timed out", redact(u))
		}
		return nil, fmt.Errorf("GET %s: %v", redact(u), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP %d", redact(u), resp.StatusCode)
	}
	if max <= 0 {
		max = DefaultMaxBytes
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", redact(u), err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("GET %s: the body is larger than %d bytes", redact(u), max)
	}
	return body, nil
}

// redact drops a URL's user information and query, which may hold secrets.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(bad URL)"
	}
	p.User = nil
	p.RawQuery = ""
	p.Fragment = ""
	return p.String()
}

func bearer(env Env, name string, h http.Header) error {
	if name == "" {
		return nil
	}
	tok, ok := getenv(env, name)
	if !ok || tok == "" {
		return fmt.Errorf("environment variable %s is not set", name)
	}
	h.Set("Authorization", "Bearer "+tok)
	return nil
}

func readHTTP(ctx context.Context, s Spec, env Env) (float64, error) {
	h := http.Header{}
	if err := bearer(env, s.TokenEnv, h); err != nil {
		return 0, err
	}
	for name, v := range s.HeadersEnv {
		val, ok := getenv(env, v)
		if !ok {
			return 0, fmt.Errorf("environment variable %s is not set", v)
		}
		h.Set(name, val)
	}
	body, err := getJSON(ctx, env, s.URL, h, s.MaxBytes)
	if err != nil {
		return 0, err
	}
	return fromJSON(body, s.Pointer)
}

var repoMetric = map[string]string{"stars": "/stargazers_count", "forks": "/forks_count", "open_issues": "/open_issues_count", "watchers": "/subscribers_count", "size": "/size"}

func readGitHub(ctx context.Context, s Spec, env Env) (float64, error) {
	api, _ := getenv(env, "GITHUB_API_URL")
	if api == "" {
		api = "https://api.github.com"
	}
	api = strings.TrimRight(api, "/")
	h := http.Header{}
	h.Set("X-GitHub-Api-Version", "2022-11-28")
	name := s.TokenEnv
	if name == "" {
		name = "GITHUB_TOKEN"
	}
	if tok, ok := getenv(env, name); ok && tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	} else if s.TokenEnv != "" {
		return 0, fmt.Errorf("environment variable %s is not set", s.TokenEnv)
	}
	var u, ptr string
	if s.Search != "" {
		u, ptr = api+"/search/issues?per_page=1&q="+url.QueryEscape(s.Search), "/total_count"
	} else {
		p, ok := repoMetric[s.Metric]
		if !ok {
			return 0, fmt.Errorf("unknown repository metric %q", s.Metric)
		}
		u, ptr = api+"/repos/"+s.Repo, p
	}
	body, err := getJSON(ctx, env, u, h, DefaultMaxBytes)
	if err != nil {
		return 0, err
	}
	return fromJSON(body, ptr)
}

func readCommand(ctx context.Context, s Spec, env Env) (float64, error) {
	if !env.AllowCommands {
		return 0, ErrCommandsNotAllowed
	}
	if len(s.Argv) == 0 {
		return 0, errors.New("command source has no argv")
	}
	cmd := exec.CommandContext(ctx, s.Argv[0], s.Argv[1:]...)
	cmd.Dir = env.Root
	var out bytes.Buffer
	cmd.Stdout = &limitWriter{w: &out, n: 4096}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return 0, fmt.Errorf("command %s: timed out", s.Argv[0])
		}
		return 0, fmt.Errorf("command %s: %v", s.Argv[0], err)
	}
	return number(strings.TrimSpace(out.String()))
}

type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	k := len(p)
	if k > l.n {
		p = p[:l.n]
	}
	l.n -= len(p)
	l.w.Write(p)
	return k, nil
}
