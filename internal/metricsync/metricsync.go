// Package metricsync plans okr sync: it reads every sourced key result's
// value (internal/source, in parallel) and says which key results changed
// since their last check-in, and writes that plan as text, JSON or
// Markdown (the body of a pull request). It never writes files and never
// reads the clock; the command layer writes the check-ins.
package metricsync

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/okrkit/okr/internal/inert"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/source"
)

// Options say which key results to read and with what.
type Options struct {
	Root          string   // the workspace root
	KRs           []string // only these key results; empty means every sourced one
	AllowCommands bool     // okr.yaml's switch and the run's --allow-commands
	Getenv        func(string) (string, bool)
	Client        *http.Client
	Workers       int
}

// Status of one key result in a plan.
const (
	Changed   = "changed"
	Unchanged = "unchanged"
	Failed    = "failed"
)

// Item is one sourced key result's outcome.
type Item struct {
	KR       string   `json:"kr"`
	File     string   `json:"file"`
	Source   string   `json:"source"`
	Status   string   `json:"status"`
	Value    *float64 `json:"value,omitempty"`
	Previous *float64 `json:"previous,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// Note is the check-in note naming the item's source.
func (it Item) Note() string { return "okr sync: " + it.Source }

// Describe names a source in one line, without secrets (token
// variables are named, never read).
func Describe(m *model.MetricSource) string {
	switch m.Kind {
	case "file":
		if m.Pointer != "" {
			return "file " + m.Path + " " + m.Pointer
		}
		return "file " + m.Path + " column " + m.Column
	case "http":
		return "http " + redact(m.URL) + " " + m.Pointer
	case "github":
		if m.Search != "" {
			return "github search " + strconv.Quote(m.Search)
		}
		return "github " + m.Repo + " " + m.Metric
	case "command":
		return "command " + strings.Join(m.Argv, " ")
	}
	return m.Kind
}

func redact(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "@"); i >= 0 {
		if j := strings.Index(u, "://"); j >= 0 && j < i {
			u = u[:j+3] + u[i+1:]
		}
	}
	return u
}

// UnknownKRError is a KR-ID that names no sourced key result.
type UnknownKRError struct{ ID string }

func (e *UnknownKRError) Error() string {
	return fmt.Sprintf("%q is not a key result with a source", e.ID)
}

// Spec converts the model's source to what internal/source reads.
func Spec(m *model.MetricSource) (source.Spec, error) {
	s := source.Spec{Kind: m.Kind, Path: m.Path, Pointer: m.Pointer, Column: m.Column, Where: m.Where, Latest: m.Latest,
		URL: m.URL, TokenEnv: m.TokenEnv, HeadersEnv: m.HeadersEnv, MaxBytes: m.MaxBytes, Search: m.Search, Repo: m.Repo,
		Metric: m.Metric, Argv: m.Argv, Scale: m.Scale, Round: m.Round}
	if m.Timeout != "" {
		d, err := time.ParseDuration(m.Timeout)
		if err != nil {
			return s, fmt.Errorf("timeout %q is not a duration", m.Timeout)
		}
		s.Timeout = d
	}
	return s, nil
}

type target struct {
	kr  *model.KeyResult
	obj *model.Objective
}

// Plan reads the sources and returns one item per sourced key result,
// sorted by key result id. A failing source is an item with status
// failed, not an error; an id that names no sourced key result is.
func Plan(ctx context.Context, ws *model.Workspace, opt Options) ([]Item, error) {
	var ts []target
	byID := map[string]target{}
	for _, o := range ws.Objectives {
		for _, kr := range o.KeyResults {
			if kr.Metric != nil {
				byID[kr.ID] = target{kr, o}
			}
		}
	}
	if len(opt.KRs) > 0 {
		for _, id := range opt.KRs {
			t, ok := byID[id]
			if !ok {
				return nil, &UnknownKRError{id}
			}
			if !slices.ContainsFunc(ts, func(x target) bool { return x.kr == t.kr }) {
				ts = append(ts, t)
			}
		}
	} else {
		for _, t := range byID {
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, func(a, b target) int { return strings.Compare(a.kr.ID, b.kr.ID) })
	items := make([]Item, len(ts))
	workers := opt.Workers
	if workers <= 0 {
		workers = 4
	}
	env := source.Env{Root: opt.Root, Getenv: opt.Getenv, Client: opt.Client, AllowCommands: opt.AllowCommands}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, t := range ts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			items[i] = read(ctx, t, env) // each worker writes its own slot
		}()
	}
	wg.Wait()
	return items, nil
}

func read(ctx context.Context, t target, env source.Env) Item {
	it := Item{KR: t.kr.ID, File: t.kr.File(), Source: Describe(t.kr.Metric)}
	if n := len(t.kr.Checkins); n > 0 {
		v := t.kr.Checkins[n-1].Value
		it.Previous = &v
	}
	spec, err := Spec(t.kr.Metric)
	var v float64
	if err == nil {
		v, err = source.Read(ctx, spec, env)
	}
	if err != nil {
		it.Status, it.Error = Failed, err.Error()
		return it
	}
	it.Value = &v
	it.Status = Changed
	if it.Previous != nil && *it.Previous == v {
		it.Status = Unchanged
	}
	return it
}

// Count returns how many items have the status.
func Count(items []Item, status string) int {
	n := 0
	for _, it := range items {
		if it.Status == status {
			n++
		}
	}
	return n
}

func num(v *float64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// WriteText writes one line per item and a summary; it returns the first
// write error.
func WriteText(w io.Writer, items []Item, dryRun bool) error {
	bw := bufio.NewWriter(w)
	verb := "recorded"
	if dryRun {
		verb = "would record"
	}
	for _, it := range items {
		switch it.Status {
		case Changed:
			fmt.Fprintf(bw, "%s %s = %s (was %s) from %s\n", verb, it.KR, num(it.Value), num(it.Previous), inert.String(it.Source))
		case Unchanged:
			fmt.Fprintf(bw, "unchanged %s = %s from %s\n", it.KR, num(it.Value), inert.String(it.Source))
		case Failed:
			fmt.Fprintf(bw, "failed %s: %s (%s)\n", it.KR, inert.String(it.Error), inert.String(it.Source))
		}
	}
	fmt.Fprintf(bw, "%d changed, %d unchanged, %d failed\n", Count(items, Changed), Count(items, Unchanged), Count(items, Failed))
	return bw.Flush()
}

// WriteJSON writes the items as a JSON document.
func WriteJSON(w io.Writer, items []Item, dryRun bool) error {
	if items == nil {
		items = []Item{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		DryRun bool   `json:"dry_run"`
		Items  []Item `json:"items"`
	}{dryRun, items})
}

// WriteMarkdown writes the body of a pull request: a table of the changed
// key results, then the failures; it returns the first write error.
func WriteMarkdown(out io.Writer, items []Item, date model.Date) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "## okr sync %s\n\n", date)
	fmt.Fprintf(w, "%d changed, %d unchanged, %d failed.\n", Count(items, Changed), Count(items, Unchanged), Count(items, Failed))
	if Count(items, Changed) > 0 {
		fmt.Fprintf(w, "\n| key result | was | now | source |\n|---|---|---|---|\n")
		for _, it := range items {
			if it.Status == Changed {
				fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", it.KR, num(it.Previous), num(it.Value), cell(it.Source))
			}
		}
	}
	if Count(items, Failed) > 0 {
		fmt.Fprintf(w, "\n**Failed sources**\n\n")
		for _, it := range items {
			if it.Status == Failed {
				fmt.Fprintf(w, "- `%s`: %s (%s)\n", it.KR, cell(it.Error), cell(it.Source))
			}
		}
	}
	return w.Flush()
}

func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "`", "'").Replace(inert.String(s))
}
