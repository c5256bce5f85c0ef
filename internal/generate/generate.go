// Package generate writes synthetic, valid okr workspaces for tests and
// benchmarks. The output depends only on the Spec: the same Spec gives
// byte-identical files on every run, because all randomness comes from a
// seeded math/rand/v2 PCG source, nothing iterates over a map, and the
// clock is never read. Check-ins are dated relative to the fixed date Today.
//
// A generated workspace covers every key result type, alignments in both
// the short (id) and the long (mapping with weight) form, nested teams and
// cycles, initiatives linked to key results, and weekly check-ins with
// notes, confidence, authors and answers. It validates with no findings
// when today is Today.
package generate

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/schema"
)

// Today is the date generated check-ins are not later than: validate a
// generated workspace with this date as today.
var Today = model.NewDate(2026, time.November, 23)

// Spec sizes a generated workspace. Zero fields take defaults: 200
// objectives, 4 key results per objective, 12 check-ins per key result,
// 4 + Objectives/50 teams (at most 400) and 8 people per team (at least 20).
type Spec struct {
	Objectives, KRsPerObjective, CheckinsPerKR int
	People, Teams                              int
	// Seed selects the random sequence; the same Seed gives the same files.
	Seed int64
}

// Default spec values.
const (
	DefaultObjectives      = 200
	DefaultKRsPerObjective = 4
	DefaultCheckinsPerKR   = 12
)

// WithDefaults returns s with every zero size replaced by its default.
func (s Spec) WithDefaults() Spec {
	if s.Objectives <= 0 {
		s.Objectives = DefaultObjectives
	}
	if s.KRsPerObjective <= 0 {
		s.KRsPerObjective = DefaultKRsPerObjective
	}
	if s.CheckinsPerKR <= 0 {
		s.CheckinsPerKR = DefaultCheckinsPerKR
	}
	if s.Teams <= 0 {
		s.Teams = min(4+s.Objectives/50, 400)
	}
	if s.People <= 0 {
		s.People = max(20, 8*s.Teams)
	}
	return s
}

// Write generates the workspace described by s into dir, creating dir when
// needed: okr.yaml, org.yaml, cycles.yaml and one file per objective at
// objectives/<team>/<objective id>.yaml. Existing files of the same names
// are overwritten; others are left alone, so dir should be empty.
func Write(dir string, s Spec) error {
	g := newGen(s.WithDefaults())
	files := g.files()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
	}
	return nil
}

type file struct {
	path string
	data []byte
}

type team struct {
	id, name, parent, lead string
}

type person struct {
	id, name, team string
}

type cycle struct {
	id, name, parent string
	start, end       model.Date
	state            string
}

type objective struct {
	id, level, owner, team, cycle string
	ti                            int // index of team in gen.teams
}

type gen struct {
	s       Spec
	r       *rand.Rand
	teams   []team
	people  []person
	members [][]int // people indices per team index
	cycles  []cycle
	objs    []objective
}

func newGen(s Spec) *gen {
	return &gen{s: s, r: rand.New(rand.NewPCG(uint64(s.Seed), 0x6f6b722d67656e))}
}

func (g *gen) files() []file {
	g.org()
	g.cycleList()
	out := []file{
		{"okr.yaml", g.workspaceFile()},
		{"org.yaml", g.orgFile()},
		{"cycles.yaml", g.cyclesFile()},
	}
	g.plan()
	for i := range g.objs {
		o := &g.objs[i]
		out = append(out, file{"objectives/" + o.team + "/" + o.id + ".yaml", g.objectiveFile(i)})
	}
	return out
}

// Word lists. None is a YAML 1.1 boolean or null, so plain scalars built
// from them stay strings.
var (
	firstNames = []string{"ann", "ben", "carla", "dev", "emil", "fatima", "gus", "hana", "ivan", "jo",
		"kemal", "lena", "mateo", "nia", "omar", "priya", "quinn", "rosa", "sven", "tariq",
		"uma", "vera", "wei", "xena", "yusuf", "zoe", "aiko", "bruno", "chen", "dara"}
	lastNames = []string{"adler", "baptiste", "costa", "dubois", "eriksen", "fischer", "garcia", "haddad",
		"ito", "jensen", "kowalski", "lindqvist", "moreau", "nakamura", "okafor", "petrov",
		"quispe", "rossi", "silva", "tanaka", "ueda", "varga", "weber", "xu", "yilmaz", "zimmer"}
	teamWords = []string{"platform", "payments", "growth", "search", "mobile", "data", "security", "billing",
		"identity", "checkout", "infra", "support", "design", "research", "marketing", "sales",
		"finance", "legal", "people", "analytics", "ml", "web", "api", "devex"}
	verbs = []string{"Grow", "Reduce", "Improve", "Ship", "Launch", "Stabilise", "Scale", "Simplify",
		"Automate", "Modernise", "Win", "Delight", "Harden", "Speed up", "Expand", "Retire"}
	nouns = []string{"onboarding", "checkout conversion", "API latency", "customer retention", "release cadence",
		"search relevance", "mobile engagement", "support backlog", "infrastructure cost", "test coverage",
		"partner integrations", "trial activation", "data freshness", "incident response", "developer experience",
		"billing accuracy", "page load time", "enterprise pipeline", "self-serve revenue", "hiring funnel"}
	words = []string{"the", "team", "shipped", "first", "version", "of", "new", "flow", "and", "rolled", "it",
		"out", "to", "ten", "percent", "traffic", "metrics", "look", "better", "than", "last", "week",
		"but", "we", "still", "wait", "for", "review", "from", "security", "blocked", "by", "vendor",
		"contract", "migration", "is", "done", "for", "most", "services", "dashboards", "updated", "after",
		"a", "slow", "start", "customers", "asked", "more", "time", "plan", "next", "sprint", "around",
		"results", "experiment", "ended", "early", "fixed", "two", "regressions", "in", "staging",
		"pilot", "went", "well", "with", "three", "accounts", "hiring", "delayed", "work", "on",
		"cache", "layer", "cut", "errors", "by", "half", "during", "peak", "hours", "launch", "moved"}
	tagWords = []string{"q-goal", "revenue", "reliability", "cost", "customer", "hiring", "quality", "speed",
		"compliance", "platform", "experiment", "retention", "brand", "partner"}
	stepWords = []string{"Write the proposal", "Agree on scope", "Build a prototype", "Run the pilot",
		"Security review", "Beta with customers", "General availability", "Migrate remaining users",
		"Retire the old system", "Publish the write-up"}
	roles = []string{"engineer", "senior engineer", "product manager", "designer", "engineering manager",
		"analyst", "director"}
)

type unit struct {
	id, name, symbol string
	decimals         int
	lo, hi           float64 // typical magnitude of values
}

var units = []unit{
	{"percent", "Percent", "%", 1, 5, 100},
	{"eur", "Euro", "€", 0, 10000, 5000000},
	{"users", "Users", "", 0, 100, 200000},
	{"ms", "Milliseconds", "ms", 0, 50, 2000},
	{"count", "Count", "", 0, 5, 500},
	{"nps", "Net promoter score", "", 0, -20, 80},
	{"hours", "Hours", "h", 1, 1, 72},
}

var categories = []struct{ id, name, desc string }{
	{"growth", "Growth", "New customers and revenue."},
	{"reliability", "Reliability", "Uptime, latency and incident load."},
	{"efficiency", "Efficiency", "Doing the same with less."},
	{"people", "People", "Hiring, growth and wellbeing."},
	{"quality", "Quality", "Fewer defects, happier users."},
}

var questions = []struct{ id, text string }{
	{"blockers", "What is blocking progress?"},
	{"next", "What happens next?"},
	{"help", "Where do you need help?"},
}

func (g *gen) org() {
	nt := g.s.Teams
	depts := max(1, (nt+9)/10)
	g.members = make([][]int, nt)
	for i := 0; i < g.s.People; i++ {
		f, l := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
		id := f + "." + l
		if k := i / (len(firstNames) * len(lastNames)); k > 0 {
			id += strconv.Itoa(k)
		}
		t := i % nt
		g.people = append(g.people, person{id: id, name: title(f) + " " + title(l)})
		g.members[t] = append(g.members[t], i)
	}
	for i := 0; i < nt; i++ {
		w := teamWords[i%len(teamWords)]
		id := w
		if i >= len(teamWords) {
			id = w + "-" + strconv.Itoa(i/len(teamWords)+1)
		}
		t := team{id: id, name: title(strings.ReplaceAll(id, "-", " "))}
		if len(g.members[i]) > 0 {
			t.lead = g.people[g.members[i][0]].id
		}
		g.teams = append(g.teams, t)
	}
	for i := depts; i < nt; i++ {
		g.teams[i].parent = g.teams[i%depts].id
	}
	for t, ms := range g.members {
		for _, p := range ms {
			g.people[p].team = g.teams[t].id
		}
	}
}

func (g *gen) cycleList() {
	d := func(m time.Month, day int) model.Date { return model.NewDate(2026, m, day) }
	g.cycles = []cycle{
		{id: "y2026", name: "Year 2026", start: d(1, 1), end: d(12, 31), state: "active"},
		{id: "2026-q1", name: "Q1 2026", parent: "y2026", start: d(1, 1), end: d(3, 31), state: "closed"},
		{id: "2026-q2", name: "Q2 2026", parent: "y2026", start: d(4, 1), end: d(6, 30), state: "closed"},
		{id: "2026-q3", name: "Q3 2026", parent: "y2026", start: d(7, 1), end: d(9, 30), state: "closed"},
		{id: "2026-q4", name: "Q4 2026", parent: "y2026", start: d(10, 1), end: d(12, 31), state: "active"},
	}
}

// plan decides every objective's id, level, owner, folder and cycle, so
// alignments can name earlier objectives of the level above.
func (g *gen) plan() {
	n := g.s.Objectives
	nc := max(1, n/100)
	nd := n / 10
	ni := n / 10
	width := len(strconv.Itoa(n))
	depts := max(1, (len(g.teams)+9)/10)
	for i := 0; i < n; i++ {
		o := objective{id: fmt.Sprintf("obj-%0*d", width, i+1)}
		switch {
		case i < nc:
			o.level = "company"
			o.ti = i % depts
			o.team, o.owner = g.teams[o.ti].id, g.teams[o.ti].id
		case i < nc+nd:
			o.level = "department"
			o.ti = g.r.IntN(depts)
			o.team, o.owner = g.teams[o.ti].id, g.teams[o.ti].id
		case i < n-ni:
			o.level = "team"
			o.ti = g.r.IntN(len(g.teams))
			o.team, o.owner = g.teams[o.ti].id, g.teams[o.ti].id
		default:
			o.level = "individual"
			p := g.r.IntN(len(g.people))
			o.ti = p % len(g.teams)
			o.team, o.owner = g.people[p].team, g.people[p].id
		}
		o.cycle = g.pickCycle(o.level)
		g.objs = append(g.objs, o)
	}
}

// pickCycle returns a cycle in which CheckinsPerKR weekly check-ins fit
// before Today: the year for company objectives, else a random quarter that
// fits, else the year.
func (g *gen) pickCycle(level string) string {
	if level == "company" {
		return g.cycles[0].id
	}
	var fit []string
	for _, c := range g.cycles[1:] {
		if (g.s.CheckinsPerKR-1)*7+6 <= days(c.start, minDate(c.end, Today)) {
			fit = append(fit, c.id)
		}
	}
	if len(fit) == 0 {
		return g.cycles[0].id
	}
	return fit[g.r.IntN(len(fit))]
}

func (g *gen) cycleByID(id string) cycle {
	for _, c := range g.cycles {
		if c.id == id {
			return c
		}
	}
	return g.cycles[0]
}

// within reports whether cycle id c lies within cycle id p (the same
// cycle, or a quarter of the year): an objective of c may align to one of p.
func (g *gen) within(c, p string) bool {
	if c == p {
		return true
	}
	cc, pc := g.cycleByID(c), g.cycleByID(p)
	return cc.id == c && pc.id == p && !cc.start.Before(pc.start) && !cc.end.After(pc.end)
}

// parentsFor returns the indices of up to two earlier objectives, of the
// level above objective i's, for it to align to.
func (g *gen) parentsFor(i int) []int {
	n := g.s.Objectives
	nc := max(1, n/100)
	nd := n / 10
	ni := n / 10
	var lo, hi int
	switch g.objs[i].level {
	case "company":
		return nil
	case "department":
		lo, hi = 0, nc
	case "team":
		lo, hi = nc, nc+nd
	default:
		lo, hi = nc+nd, n-ni
	}
	if hi <= lo {
		lo, hi = 0, i
	}
	hi = min(hi, i)
	if hi <= lo {
		return nil
	}
	first := lo + g.r.IntN(hi-lo)
	out := []int{first}
	if hi-lo > 1 && g.r.IntN(4) == 0 {
		second := lo + g.r.IntN(hi-lo)
		if second != first {
			out = append(out, second)
		}
	}
	return out
}

// writer builds a YAML document line by line.
type writer struct{ bytes.Buffer }

func (w *writer) line(indent int, s string) {
	for i := 0; i < indent; i++ {
		w.WriteByte(' ')
	}
	w.WriteString(s)
	w.WriteByte('\n')
}

func (w *writer) kv(indent int, key, value string) { w.line(indent, key+": "+value) }

func schemaLine(kind string) string {
	return "# yaml-language-server: $schema=" + schema.URL(kind)
}

func (g *gen) workspaceFile() []byte {
	var w writer
	w.line(0, schemaLine("workspace"))
	w.kv(0, "version", "1")
	w.kv(0, "name", "Example Corp (generated)")
	w.line(0, "units:")
	for _, u := range units {
		w.kv(0, "- id", u.id)
		w.kv(2, "name", str(u.name))
		if u.symbol != "" {
			w.kv(2, "symbol", str(u.symbol))
		}
		w.kv(2, "decimals", strconv.Itoa(u.decimals))
	}
	w.line(0, "categories:")
	for _, c := range categories {
		w.kv(0, "- id", c.id)
		w.kv(2, "name", str(c.name))
		w.kv(2, "description", str(c.desc))
	}
	w.line(0, "checkin_questions:")
	for _, q := range questions {
		w.kv(0, "- id", q.id)
		w.kv(2, "text", str(q.text))
	}
	w.line(0, "score_bands:")
	w.line(0, "- {name: red, min: 0, color: \"#d73a49\"}")
	w.line(0, "- {name: yellow, min: 0.4, color: \"#dbab09\"}")
	w.line(0, "- {name: green, min: 0.7, color: \"#28a745\"}")
	w.line(0, "status_thresholds: {on_track: 0.9, at_risk: 0.6}")
	w.kv(0, "rollup", "both")
	w.line(0, "confidence_scale: {min: 0, max: 1}")
	return w.Bytes()
}

func (g *gen) orgFile() []byte {
	var w writer
	w.line(0, schemaLine("org"))
	w.line(0, "people:")
	for i, p := range g.people {
		w.kv(0, "- id", p.id)
		w.kv(2, "name", str(p.name))
		w.kv(2, "email", p.id+"@example.com")
		w.kv(2, "handle", str("@"+strings.ReplaceAll(p.id, ".", "-")))
		w.kv(2, "team", p.team)
		w.kv(2, "role", str(roles[i%len(roles)]))
		if i%3 == 0 {
			w.line(2, "git: ["+p.id+"@example.com, "+str(p.name)+"]")
		}
	}
	w.line(0, "teams:")
	for _, t := range g.teams {
		w.kv(0, "- id", t.id)
		w.kv(2, "name", str(t.name))
		if t.parent != "" {
			w.kv(2, "parent", t.parent)
		}
		if t.lead != "" {
			w.kv(2, "lead", t.lead)
		}
		w.kv(2, "handle", str("@example/"+t.id))
	}
	return w.Bytes()
}

func (g *gen) cyclesFile() []byte {
	var w writer
	w.line(0, schemaLine("cycles"))
	w.line(0, "cycles:")
	for _, c := range g.cycles {
		w.kv(0, "- id", c.id)
		w.kv(2, "name", str(c.name))
		w.kv(2, "start", c.start.String())
		w.kv(2, "end", c.end.String())
		w.kv(2, "cadence", "weekly")
		w.kv(2, "state", c.state)
		if c.parent != "" {
			w.kv(2, "parent", c.parent)
		}
	}
	return w.Bytes()
}

var krTypes = []string{model.Increase, model.Decrease, model.AtLeast, model.AtMost, model.Range, model.Milestone}

// krVerbs start key result titles, by type.
var krVerbs = map[string][]string{
	model.Increase:  {"Grow", "Raise", "Improve", "Double"},
	model.Decrease:  {"Reduce", "Cut", "Lower", "Halve"},
	model.AtLeast:   {"Keep up", "Hold up", "Protect"},
	model.AtMost:    {"Cap", "Keep down", "Contain"},
	model.Range:     {"Balance", "Steady", "Hold in range"},
	model.Milestone: {"Deliver", "Ship", "Complete", "Roll out"},
}

func (g *gen) objectiveFile(i int) []byte {
	r := g.r
	o := g.objs[i]
	cy := g.cycleByID(o.cycle)
	var w writer
	w.line(0, schemaLine("objective"))
	w.kv(0, "id", o.id)
	w.kv(0, "title", str(verbs[r.IntN(len(verbs))]+" "+nouns[r.IntN(len(nouns))]))
	w.kv(0, "description", str(g.sentence(10, 22)))
	w.kv(0, "cycle", o.cycle)
	w.kv(0, "level", o.level)
	w.kv(0, "owner", o.owner)
	if r.IntN(2) == 0 {
		a := g.people[r.IntN(len(g.people))].id
		b := g.teams[r.IntN(len(g.teams))].id
		if a != o.owner && b != o.owner {
			w.line(0, "contributors: ["+a+", "+b+"]")
		}
	}
	w.kv(0, "category", categories[r.IntN(len(categories))].id)
	t1 := r.IntN(len(tagWords))
	t2 := (t1 + 1 + r.IntN(len(tagWords)-1)) % len(tagWords)
	w.line(0, "tags: ["+tagWords[t1]+", "+tagWords[t2]+"]")
	if r.IntN(5) == 0 {
		w.kv(0, "weight", num(float64(1+r.IntN(3))))
	}
	if parents := g.parentsFor(i); len(parents) > 0 {
		// Only parents whose cycle contains this objective's (the rule
		// alignment-cycle); the random draws are made for every parent,
		// so the rest of the workspace does not depend on which are left.
		head := false
		for k, p := range parents {
			plain := k == 0 && r.IntN(3) > 0
			weight := ""
			if !plain {
				weight = num(round(0.5+r.Float64()*1.5, 1))
			}
			if !g.within(g.objs[i].cycle, g.objs[p].cycle) {
				continue
			}
			if !head {
				w.line(0, "aligns_to:")
				head = true
			}
			if plain {
				w.line(0, "- "+g.objs[p].id)
				continue
			}
			w.kv(0, "- objective", g.objs[p].id)
			w.kv(2, "weight", weight)
		}
	}
	nk := g.s.KRsPerObjective
	krIDs := make([]string, nk)
	w.line(0, "key_results:")
	for k := 0; k < nk; k++ {
		krIDs[k] = fmt.Sprintf("%s-kr%d", o.id, k+1)
		g.keyResult(&w, o, krIDs[k], krTypes[(i*nk+k)%len(krTypes)], k, cy)
	}
	if ni := r.IntN(3); ni > 0 {
		w.line(0, "initiatives:")
		for k := 0; k < ni; k++ {
			w.kv(0, "- id", fmt.Sprintf("%s-i%d", o.id, k+1))
			w.kv(2, "title", str(stepWords[r.IntN(len(stepWords))]+" for "+nouns[r.IntN(len(nouns))]))
			w.kv(2, "link", fmt.Sprintf("https://tracker.example.com/browse/OKR-%d", 1000+i*3+k))
			w.kv(2, "status", []string{"planned", "in_progress", "done", "cancelled"}[r.IntN(4)])
			w.kv(2, "owner", g.memberOf(o.ti))
			w.kv(2, "key_result", krIDs[r.IntN(nk)])
			w.kv(2, "due", addDays(cy.start, r.IntN(days(cy.start, cy.end)+1)).String())
		}
	}
	return w.Bytes()
}

// memberOf returns a random person of team t (an index in g.teams), or any
// person when the team has no members.
func (g *gen) memberOf(t int) string {
	if ms := g.members[t]; len(ms) > 0 {
		return g.people[ms[g.r.IntN(len(ms))]].id
	}
	return g.people[g.r.IntN(len(g.people))].id
}

func (g *gen) keyResult(w *writer, o objective, id, typ string, k int, cy cycle) {
	r := g.r
	u := units[r.IntN(len(units))]
	w.kv(0, "- id", id)
	w.kv(2, "title", str(krVerbs[typ][r.IntN(len(krVerbs[typ]))]+" "+nouns[r.IntN(len(nouns))]))
	if r.IntN(3) == 0 {
		w.kv(2, "description", str(g.sentence(6, 14)))
	}
	w.kv(2, "type", typ)
	span := u.hi - u.lo
	dec := u.decimals
	var values []float64
	n := g.s.CheckinsPerKR
	switch typ {
	case model.Increase, model.Decrease:
		a := round(u.lo+r.Float64()*span*0.5, dec)
		b := round(a+span*(0.1+r.Float64()*0.4), dec)
		if b == a {
			b = a + 1
		}
		if typ == model.Decrease {
			a, b = b, a
		}
		w.kv(2, "start", num(a))
		w.kv(2, "target", num(b))
		end := 0.3 + r.Float64()*0.9
		for c := 0; c < n; c++ {
			p := end * float64(c+1) / float64(n)
			values = append(values, round(a+(b-a)*(p+(r.Float64()-0.5)*0.05), dec))
		}
	case model.AtLeast, model.AtMost:
		th := round(u.lo+r.Float64()*span, dec)
		w.kv(2, "threshold", num(th))
		for c := 0; c < n; c++ {
			values = append(values, round(th+(r.Float64()-0.4)*span*0.1, dec))
		}
	case model.Range:
		lo := round(u.lo+r.Float64()*span*0.5, dec)
		hi := round(lo+span*(0.1+r.Float64()*0.3), dec)
		w.kv(2, "low", num(lo))
		w.kv(2, "high", num(hi))
		for c := 0; c < n; c++ {
			values = append(values, round(lo+(hi-lo)*(r.Float64()*1.4-0.2), dec))
		}
	case model.Milestone:
		ns := 3 + r.IntN(4)
		first := r.IntN(len(stepWords))
		steps := make([]string, ns)
		for s := range steps {
			steps[s] = str(stepWords[(first+s)%len(stepWords)])
		}
		w.line(2, "steps:")
		for _, s := range steps {
			w.line(2, "- "+s)
		}
		done := 0
		for c := 0; c < n; c++ {
			if done < ns && r.IntN(3) == 0 {
				done++
			}
			values = append(values, float64(done))
		}
	}
	if typ != model.Milestone {
		w.kv(2, "unit", u.id)
	}
	switch {
	case k > 0 && r.IntN(8) == 0:
		w.kv(2, "weight", "0")
	case r.IntN(4) == 0:
		w.kv(2, "weight", num(float64(2+r.IntN(2))))
	}
	owner := g.memberOf(o.ti)
	w.kv(2, "owner", owner)
	if r.IntN(2) == 0 {
		w.kv(2, "due", addDays(cy.start, days(cy.start, cy.end)-r.IntN(14)).String())
	}
	if n == 0 {
		return
	}
	w.line(2, "checkins:")
	for c, d := range checkinDates(cy, n, r.IntN(7)) {
		w.kv(2, "- date", d.String())
		w.kv(4, "value", num(values[c]))
		conf := round(math.Min(1, math.Max(0, 0.75+(r.Float64()-0.5)*0.5)), 1)
		w.kv(4, "confidence", num(conf))
		if conf <= 0.5 {
			w.kv(4, "status", "at_risk")
		}
		if r.IntN(8) == 0 {
			w.kv(4, "author", g.memberOf(o.ti))
		}
		w.kv(4, "note", str(g.sentence(noteMin, noteMax)))
		if r.IntN(12) == 0 {
			q := questions[r.IntN(len(questions))]
			w.line(4, "answers:")
			w.kv(6, q.id, str(g.sentence(3, 8)))
		}
	}
}

// Check-in notes have noteMin to noteMax words; they set the size of a
// generated workspace, about 6.6 KB per objective with 4 key results of 12
// check-ins each.
const noteMin, noteMax = 3, 8

// checkinDates returns n dates, oldest first, weekly from offset days after
// the cycle start, none after the cycle end or Today. When n weekly dates do
// not fit, they are spread evenly over the days that do.
func checkinDates(cy cycle, n, offset int) []model.Date {
	last := minDate(cy.end, Today)
	span := days(cy.start, last)
	if span < 0 {
		span = 0
	}
	step := 7
	if (n-1)*step+offset > span {
		offset = 0
		if n > 1 && (n-1)*step > span {
			step = span / (n - 1)
		}
	}
	out := make([]model.Date, n)
	for i := range out {
		out[i] = addDays(cy.start, offset+i*step)
	}
	return out
}

// sentence returns a capitalised sentence of min to max words.
func (g *gen) sentence(minWords, maxWords int) string {
	n := minWords + g.r.IntN(maxWords-minWords+1)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		w := words[g.r.IntN(len(words))]
		if i == 0 {
			w = title(w)
		}
		b.WriteString(w)
	}
	b.WriteByte('.')
	return b.String()
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// str renders s as a YAML scalar: plain when that reads back as the same
// string, double-quoted otherwise.
func str(s string) string {
	if plainSafe(s) {
		return s
	}
	return strconv.Quote(s)
}

func plainSafe(s string) bool {
	if s == "" || strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") || strings.HasSuffix(s, " ") {
		return false
	}
	c := s[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || strings.IndexByte("{}[],&*!|>'\"%@`", c) >= 0 {
			return false
		}
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return false
	}
	return true
}

// num formats a number the shortest way, without exponent.
func num(v float64) string {
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

func days(a, b model.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }

func addDays(d model.Date, n int) model.Date { return model.DateOf(d.Time().AddDate(0, 0, n)) }

func minDate(a, b model.Date) model.Date {
	if b.Before(a) {
		return b
	}
	return a
}
