// Package dashboard builds a cycle's dashboard as one self-contained HTML
// page: the cycle, key results by status, the dashboard rates, per-team
// rollups, the objective tree with each objective's description, tags, key
// results with progress bars and initiatives, and a chart per key result
// of its check-ins over time against the expected progress, scored with
// the goal in force on each day when history is known. The page embeds its
// CSS and script (no network), filters by team, owner, status and tag in
// the browser, and prints on A4.
//
// It reads the model and takes the date and the history of goals (Goals,
// filled by the caller from a walk) as input; it does no I/O beyond the
// writer it is given.
package dashboard

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/numfmt"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/score"
	"github.com/okrkit/okr/internal/trend"
)

// collapseAbove is the number of objectives above which the tree starts
// collapsed (every objective closed, its key results and charts one click
// away), so a large workspace's page stays quick to open and scroll.
var collapseAbove = 60

// Input is what a dashboard is built from.
type Input struct {
	Workspace *model.Workspace
	Cycle     *model.Cycle
	AsOf      model.Date
	// Filter narrows the page as it narrows `okr report`.
	Filter report.Filter
	// Goals holds each key result's definitions from history, oldest
	// first, by key-result id; nil when history was not read.
	Goals Goals
	// Note is shown under the heading, e.g. why history was not read.
	Note string
}

// Page is the data behind the HTML page.
type Page struct {
	Title     string
	Workspace string
	Cycle     report.Cycle
	AsOf      string
	// Elapsed is the share of the cycle elapsed at AsOf, as a percentage.
	Elapsed     int
	FromHistory bool
	Note        string
	// Filtered describes the command-line filter, "" when none.
	Filtered string
	// Collapsed is set when the tree starts closed.
	Collapsed  bool
	Objectives int
	KeyResults int
	Counts     []Count
	Rates      []Rate
	Teams      []TeamRow
	Roots      []*Node
	// The filter choices: teams (indented by depth), owners, statuses,
	// and the tags of the objectives on the page, sorted.
	TeamOptions, OwnerOptions, StatusOptions, TagOptions []Option
}

// Count is the number of key results with one status.
type Count struct {
	Status, Name string
	N            int
}

// Rate is one dashboard rate, formatted ("–" when undefined).
type Rate struct {
	Name, Value, Help string
}

// TeamRow is one team's rollup: its figures with its sub-teams'.
type TeamRow struct {
	ID, Name   string
	Depth      int
	Objectives int
	KeyResults int
	Counts     []Count
	Completion string
	Checkins   string
	// Score is the average objective score, formatted; Bar its width in
	// percent (0 when there is none).
	Score string
	Bar   int
}

// Option is one choice of a filter.
type Option struct {
	Value, Label string
}

// Node is one objective in the tree, under the first of its parents that
// is in the page (each objective appears once); Children are the
// objectives placed under it.
type Node struct {
	ID, Title, Level string
	// Cycle is set for an objective of another cycle than the page's (a
	// quarter's objective on its year's page).
	Cycle string
	Owner Ref
	// Teams lists the objective's team and the teams above it, for the
	// team filter; Owners the objective's owner and its key results'.
	Teams, Owners string
	Score         string
	Bar           int
	Band          string
	BandColor     string
	File          string
	// Description is the objective's description in paragraphs (split
	// at blank lines), nil when it has none.
	Description []string
	// Tags are the objective's tags, as written; TagData is them as a
	// JSON array for the tag filter ("" when none): a tag may hold spaces.
	Tags    []string
	TagData string
	// Also lists the other parents (in or outside the page).
	Also        []Parent
	KeyResults  []KR
	Initiatives []Initiative
	Children    []*Node
	Open        bool
}

// Initiative is one row of an objective's initiatives: the work behind
// its key results.
type Initiative struct {
	ID, Title string
	// Link is the initiative's link when it is an http or https URL (the
	// page links to it); LinkText is any other link, shown as text only.
	Link, LinkText string
	// Status is as written (planned, in_progress, done, cancelled);
	// StatusName spells it for reading.
	Status, StatusName string
	Owner              Ref
	// KeyResult is the key result it serves: its id and title ("" when
	// none).
	KeyResult Ref
	Due       string
}

// Ref names a person, team or objective: its id and display name.
type Ref struct {
	ID, Name string
}

// Parent is one of an objective's other parents. The page links to it
// only when it is on the page; otherwise Away says where it is instead
// ("another cycle", or "filtered out" by the command line).
type Parent struct {
	Ref
	OnPage bool
	Away   string
}

// KR is one key result's row.
type KR struct {
	ID, Title, Type string
	Owner           Ref
	Status          string
	StatusName      string
	Stated          bool
	Progress        int
	Bar             int
	Score           string
	Manual          bool
	Current         string
	Confidence      string
	LastCheckin     string
	Forecast        string
	Goal            string
	// GoalChanges describes earlier goals, when history shows the goal
	// moved during the cycle.
	GoalChanges []string
	Chart       Chart
}

var defaultStatusNames = map[string]string{score.OnTrack: "on track", score.AtRisk: "at risk", score.OffTrack: "off track", score.Done: "done"}

var statuses = []string{score.OnTrack, score.AtRisk, score.OffTrack, score.Done}

// Build computes the page of in.Cycle as of in.AsOf.
func Build(in Input) *Page {
	b := newBuilder(in)
	p := b.header()
	b.figures(p)
	b.objectives(p)
	b.placeTree(p)
	b.filterOptions(p)
	return p
}

// builder holds what the steps of Build share.
type builder struct {
	in   Input
	ws   *model.Workspace
	opts score.Options
	roll *score.Rollup
	// rep is the report of the cycle, narrowed by the filter.
	rep   *report.Report
	names map[string]string // person and team ids -> names
	// byID are the workspace's objectives; nodes the page's, by id.
	byID  map[string]*model.Objective
	nodes map[string]*Node
	// owners and tags are those of the objectives on the page.
	owners, tags map[string]bool
}

func newBuilder(in Input) *builder {
	ws := in.Workspace
	opts := score.FromSettings(ws.Settings)
	b := &builder{in: in, ws: ws, opts: opts, roll: opts.NewRollup(ws, in.AsOf),
		rep:   in.Filter.Apply(ws, in.AsOf, report.Build(ws, in.Cycle, in.AsOf)),
		names: map[string]string{}, byID: map[string]*model.Objective{}, nodes: map[string]*Node{},
		owners: map[string]bool{}, tags: map[string]bool{}}
	for _, p := range ws.People {
		b.names[p.ID] = p.Name
	}
	for _, t := range ws.Teams {
		b.names[t.ID] = t.Name
	}
	for _, o := range ws.Objectives {
		if _, dup := b.byID[o.ID]; !dup {
			b.byID[o.ID] = o
		}
	}
	return b
}

// statusName is a status's display name (status_names in okr.yaml).
func (b *builder) statusName(s string) string {
	if n := b.ws.Settings.StatusNames[s]; n != "" {
		return n
	}
	return defaultStatusNames[s]
}

// ref names a person or team.
func (b *builder) ref(id string) Ref {
	if n := b.names[id]; n != "" {
		return Ref{ID: id, Name: n}
	}
	return Ref{ID: id, Name: id}
}

// counts lists the counts of m by status, in the page's order.
func (b *builder) counts(m map[string]int) []Count {
	out := make([]Count, 0, len(statuses))
	for _, s := range statuses {
		out = append(out, Count{Status: s, Name: b.statusName(s), N: m[s]})
	}
	return out
}

// header is the page's heading: its title, cycle, date and notes.
func (b *builder) header() *Page {
	ws, cycle, rep := b.ws, b.in.Cycle, b.rep
	title := "OKR dashboard"
	if ws.Settings.Name != "" {
		title = ws.Settings.Name + " OKR dashboard"
	}
	cycleName := cycle.Name
	if cycleName == "" {
		cycleName = cycle.ID
	}
	p := &Page{
		Title:       title + ": " + cycleName,
		Workspace:   ws.Settings.Name,
		Cycle:       rep.Cycle,
		AsOf:        rep.AsOf,
		Elapsed:     int(rep.Expected*100 + 0.5),
		FromHistory: b.in.Goals != nil,
		Note:        b.in.Note,
		Filtered:    describe(b.in.Filter),
		Collapsed:   len(rep.Objectives) > collapseAbove,
	}
	if p.Cycle.Name == "" {
		p.Cycle.Name = p.Cycle.ID
	}
	return p
}

// figures fills the counts, the rates and the teams' table. They follow
// --tag as okr stats --tag does; the other filters narrow the tree only.
func (b *builder) figures(p *Page) {
	ws, rep := b.ws, b.rep
	stats := report.BuildTaggedStats(ws, b.in.Cycle, b.in.AsOf, b.in.Filter.Tag)
	p.Counts = b.counts(rep.Counts)
	p.Objectives = len(rep.Objectives)
	for _, o := range rep.Objectives {
		p.KeyResults += len(o.KeyResults)
	}
	p.Rates = []Rate{
		{"Average score", scoreText(stats.All.AverageScore, ws.Settings.Display), "mean objective score, weighted by objective weight"},
		{"Completion", rateText(stats.All.CompletionRate), "key results at 100%"},
		{"Check-ins", rateText(stats.All.CheckinRate), "key results checked in within the cycle's cadence"},
		{"Alignment", rateText(stats.All.AlignmentRate), "objectives below company level that align to a parent"},
	}
	for _, t := range stats.Teams {
		row := TeamRow{ID: t.ID, Name: t.Name, Depth: t.Depth, Objectives: t.Objectives, KeyResults: t.KeyResults,
			Counts: b.counts(t.Counts), Completion: rateText(t.CompletionRate), Checkins: rateText(t.CheckinRate),
			Score: scoreText(t.AverageScore, ws.Settings.Display)}
		if t.AverageScore != nil {
			row.Bar = pct(*t.AverageScore)
		}
		p.Teams = append(p.Teams, row)
		p.TeamOptions = append(p.TeamOptions, Option{Value: t.ID, Label: strings.Repeat("\u00a0\u00a0", t.Depth) + t.Name})
	}
	for _, s := range statuses {
		p.StatusOptions = append(p.StatusOptions, Option{Value: s, Label: b.statusName(s)})
	}
}

// objectives makes the page's node of each objective of the report, with
// its key results, and notes their owners and tags.
func (b *builder) objectives(p *Page) {
	teamParent := b.ws.TeamParents()
	display := b.ws.Settings.Display
	for _, o := range b.rep.Objectives {
		obj := b.byID[o.ID]
		n := &Node{ID: o.ID, Title: o.Title, Level: o.Level, Cycle: o.Cycle, Owner: b.ref(o.Owner), File: o.File, Band: o.Band, Open: !p.Collapsed, Score: "–"}
		if o.Score != nil {
			n.Score = numfmt.Score(*o.Score, display)
			n.Bar = pct(*o.Score)
			n.BandColor = bandColor(b.ws.Settings.ScoreBands, o.Band)
		}
		n.Teams = strings.Join(teamParent.Chain(b.roll.TeamOf(obj)), " ")
		own := []string{}
		if o.Owner != "" {
			own = append(own, o.Owner)
		}
		for _, k := range o.KeyResults {
			n.KeyResults = append(n.KeyResults, keyResult(b.in, b.opts, obj, k, b.ref, b.statusName))
			if k.Owner != "" && !slices.Contains(own, k.Owner) {
				own = append(own, k.Owner)
			}
		}
		for _, id := range own {
			b.owners[id] = true
		}
		n.Owners = strings.Join(own, " ")
		if obj != nil {
			b.describeObjective(n, obj)
		}
		b.nodes[o.ID] = n
	}
}

// describeObjective adds what the objective's file says to its node: its
// description, initiatives and tags.
func (b *builder) describeObjective(n *Node, obj *model.Objective) {
	n.Description = paragraphs(obj.Description)
	n.Initiatives = initiatives(obj, b.ref)
	for _, tag := range obj.Tags {
		if tag != "" && !slices.Contains(n.Tags, tag) {
			n.Tags = append(n.Tags, tag)
		}
	}
	if len(n.Tags) > 0 {
		data, _ := json.Marshal(n.Tags) // a []string always marshals
		n.TagData = string(data)
	}
	for _, tag := range n.Tags {
		b.tags[tag] = true
	}
}

// placeTree puts each objective under its first parent on the page (its
// other parents are named beside it), the rest as roots. Alignments are
// loop-free in a valid workspace, but a loop must not hide its members,
// nor nest them forever: a node reachable from no root becomes one, taken
// out from under its parent.
func (b *builder) placeTree(p *Page) {
	parentOf := map[*Node]*Node{}
	for _, o := range b.rep.Objectives {
		n := b.nodes[o.ID]
		placed := false
		for _, parent := range o.Parents {
			if pn := b.nodes[parent]; pn != nil && !placed && parent != o.ID {
				pn.Children = append(pn.Children, n)
				parentOf[n] = pn
				placed = true
				continue
			}
			// A parent the workspace does not hold (left out for an
			// audience, say) is not named.
			po := b.byID[parent]
			if po == nil || parent == o.ID {
				continue
			}
			also := Parent{Ref: Ref{ID: parent, Name: po.Title}, OnPage: b.nodes[parent] != nil}
			if !also.OnPage {
				also.Away = "filtered out"
				if po.Cycle != b.in.Cycle.ID {
					also.Away = "another cycle"
				}
			}
			n.Also = append(n.Also, also)
		}
		if !placed {
			p.Roots = append(p.Roots, n)
		}
	}
	seen := map[*Node]bool{}
	var mark func(n *Node)
	mark = func(n *Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, c := range n.Children {
			mark(c)
		}
	}
	for _, r := range p.Roots {
		mark(r)
	}
	for _, o := range b.rep.Objectives {
		if n := b.nodes[o.ID]; !seen[n] {
			if pn := parentOf[n]; pn != nil {
				pn.Children = slices.DeleteFunc(pn.Children, func(c *Node) bool { return c == n })
			}
			p.Roots = append(p.Roots, n)
			mark(n)
		}
	}
}

// filterOptions lists the owners and tags of the page's objectives for
// its filters, sorted by label without case.
func (b *builder) filterOptions(p *Page) {
	for id := range b.owners {
		r := b.ref(id)
		label := r.Name
		if r.Name != id {
			label += " (" + id + ")"
		}
		p.OwnerOptions = append(p.OwnerOptions, Option{Value: id, Label: label})
	}
	sort.Slice(p.OwnerOptions, func(i, j int) bool {
		a, b := p.OwnerOptions[i], p.OwnerOptions[j]
		if la, lb := strings.ToLower(a.Label), strings.ToLower(b.Label); la != lb {
			return la < lb
		}
		return a.Value < b.Value
	})
	for tag := range b.tags {
		p.TagOptions = append(p.TagOptions, Option{Value: tag, Label: tag})
	}
	sort.Slice(p.TagOptions, func(i, j int) bool {
		a, b := p.TagOptions[i].Value, p.TagOptions[j].Value
		if la, lb := strings.ToLower(a), strings.ToLower(b); la != lb {
			return la < lb
		}
		return a < b
	})
}

// paragraphs splits a description at its blank lines, trailing blanks cut
// from each line; nil when there is no text.
func paragraphs(s string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimRight(line, " \t\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return out
}

// initiatives lists obj's initiatives in file order.
func initiatives(obj *model.Objective, ref func(string) Ref) []Initiative {
	var out []Initiative
	for _, in := range obj.Initiatives {
		row := Initiative{ID: in.ID, Title: in.Title, Status: in.Status, StatusName: strings.ReplaceAll(in.Status, "_", " ")}
		if row.Title == "" {
			row.Title = in.ID
		}
		if webLink(in.Link) {
			row.Link = in.Link
		} else {
			row.LinkText = in.Link
		}
		if in.Owner != "" {
			row.Owner = ref(in.Owner)
		}
		if in.KeyResult != "" {
			row.KeyResult = Ref{ID: in.KeyResult, Name: in.KeyResult}
			for _, kr := range obj.KeyResults {
				if kr.ID == in.KeyResult && kr.Title != "" {
					row.KeyResult.Name = kr.Title
					break
				}
			}
		}
		if !in.Due.IsZero() {
			row.Due = in.Due.String()
		}
		out = append(out, row)
	}
	return out
}

// webLink reports whether link is an absolute http or https URL with a
// host: the only links the page makes clickable.
func webLink(link string) bool {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// keyResult builds one key result's row and chart.
func keyResult(in Input, opts score.Options, obj *model.Objective, k report.KeyResult, ref func(string) Ref, statusName func(string) string) KR {
	row := KR{ID: k.ID, Title: k.Title, Type: k.Type, Owner: ref(k.Owner), Status: k.Status, StatusName: statusName(k.Status),
		Stated: k.StatusStated, Progress: int(k.Progress*100 + 0.5), Bar: pct(k.Progress), Score: numfmt.Score(k.Score, in.Workspace.Settings.Display),
		Manual: k.Manual, LastCheckin: k.LastCheckin, Current: "–", Confidence: "–", Forecast: "–"}
	format := func(v float64) string { return withUnit(in.Workspace, k.Unit, v) }
	if k.Current != nil {
		row.Current = format(*k.Current)
	}
	if k.Confidence != nil {
		row.Confidence = number(*k.Confidence)
	}
	if k.Forecast != nil {
		row.Forecast = format(math.Round(*k.Forecast*100) / 100)
	}
	var kr *model.KeyResult
	if obj != nil {
		for _, x := range obj.KeyResults {
			if x.ID == k.ID {
				kr = x
				break
			}
		}
	}
	if kr == nil {
		return row
	}
	row.Goal = numfmt.Goal(in.Workspace, kr)
	defs := in.Goals[k.ID]
	series := trend.KeyResult(opts, obj, kr, in.Cycle, defs)
	var points []trend.Point
	for i, pt := range series.Points {
		if kr.Checkins[i].Date.After(in.AsOf) {
			continue
		}
		points = append(points, pt)
	}
	// Goals in force during the cycle up to the as-of date.
	var shown []trend.Definition
	for i, d := range defs {
		if i > 0 && (d.Since.After(in.AsOf) || d.Since.After(in.Cycle.End)) {
			break
		}
		if i > 0 && !d.Since.After(in.Cycle.Start) {
			shown = shown[:0]
		}
		shown = append(shown, d)
	}
	if len(shown) == 0 {
		shown = []trend.Definition{{KR: kr}}
	}
	for i := 0; i+1 < len(shown); i++ {
		until := shown[i+1].Since.String()
		row.GoalChanges = append(row.GoalChanges, fmt.Sprintf("%s until %s", numfmt.Goal(in.Workspace, shown[i].KR), until))
	}
	row.Chart = chart(in.Cycle, in.AsOf, points, shown, format, func(kr *model.KeyResult) string { return numfmt.Goal(in.Workspace, kr) }, k.ID)
	return row
}

// describe spells out a command-line filter.
func describe(f report.Filter) string {
	var parts []string
	for _, kv := range [][2]string{{"team", f.Team}, {"owner", f.Owner}, {"involving", f.Involving}, {"category", f.Category}, {"level", f.Level}, {"status", f.Status}, {"tag", f.Tag}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+" "+kv[1])
		}
	}
	return strings.Join(parts, ", ")
}

// withUnit formats v in unit id, digits grouped (numfmt.Unit): $281,000,
// 12.5%, 380 ms.
func withUnit(ws *model.Workspace, id string, v float64) string {
	return numfmt.Unit(numfmt.Find(ws, id), v)
}

// pct is a 0..1 share as a bar width in whole percent, capped at 100.
func pct(v float64) int {
	return int(min(max(v, 0), 1)*100 + 0.5)
}

func rateText(r *float64) string {
	if r == nil {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", *r*100)
}

func scoreText(s *float64, display string) string {
	if s == nil {
		return "–"
	}
	return numfmt.Score(*s, display)
}

// number formats a value without trailing zeros, digits grouped.
func number(v float64) string { return numfmt.Plain(v) }

// safeColor accepts the CSS colours a score band may name that cannot
// break out of a style: hex colours and colour keywords.
var safeColor = regexp.MustCompile(`^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30})$`)

func bandColor(bands []model.ScoreBand, name string) string {
	for _, b := range bands {
		if b.Name == name && safeColor.MatchString(b.Color) {
			return b.Color
		}
	}
	return ""
}
