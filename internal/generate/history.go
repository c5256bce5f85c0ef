package generate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/okrkit/okr/internal/model"
)

// HistorySpec sizes a generated git history: an initial commit that adds a
// workspace (and a few files outside it), then Commits commits that each
// change exactly one file. Zero fields take defaults.
//
// The workspace's cycles are the year of Start and its four quarters.
// Company and department objectives belong to the year, team and individual
// objectives to the year or a quarter. The initial commit is dated Start;
// the other commits are spread evenly over the days after it up to
// HistoryEnd(Start), with strictly increasing author and committer times.
type HistorySpec struct {
	// Workspace sizes the initial workspace. Its CheckinsPerKR defaults to 1
	// here, since the history adds check-ins; a negative value means none.
	Workspace Spec
	// Commits is the number of commits after the initial one (default 200).
	Commits int
	// WorkspaceShare is the share of those commits that change a workspace
	// file; the others change a file outside the workspace. Zero means
	// DefaultWorkspaceShare, a negative value means none.
	WorkspaceShare float64
	// Dir is the workspace's folder in the repository, a slash path. ""
	// means DefaultHistoryDir and "." the repository root.
	Dir string
	// Start is the date of the initial commit; zero means HistoryStart.
	Start model.Date
	// Seed selects the random sequence, together with Workspace.Seed.
	Seed int64
}

// Default history values, and the cap on check-ins.
const (
	// DefaultHistoryCommits is the number of commits after the initial one.
	DefaultHistoryCommits = 200
	// DefaultWorkspaceShare is the share of commits that change the workspace.
	DefaultWorkspaceShare = 2.0 / 3
	// DefaultHistoryDir is the workspace's folder in the repository.
	DefaultHistoryDir = "okrs"
	// MaxCheckinsPerKR caps the check-ins a history gives one key result,
	// so objective files stay small however long the history is.
	MaxCheckinsPerKR = 30
)

// HistoryStart is the default date of a history's initial commit.
var HistoryStart = model.NewDate(2026, time.January, 5)

// HistoryEnd returns the date of the last commit of a history that starts
// on start: December 31 of start's year, but not later than three days
// before Today.
func HistoryEnd(start model.Date) model.Date {
	return minDate(model.NewDate(int(start.Year), time.December, 31), addDays(Today, -3))
}

// HistoryInfo describes a generated history.
type HistoryInfo struct {
	// Commits counts every commit, the initial one included.
	Commits int
	// WorkspaceCommits counts the commits that changed a workspace file, the
	// initial one included. Unless Dir is ".", these are exactly the commits
	// that changed something under Dir.
	WorkspaceCommits int
	// Objectives lists the objective ids in generation order.
	Objectives []string
	// Touched maps an objective id to the number of commits that changed
	// its file, the initial one included.
	Touched map[string]int
	// Paths maps an objective id to its file, a slash path relative to the
	// repository root.
	Paths map[string]string
	// Head is the hash of the last commit, on refs/heads/main. WriteHistory
	// leaves it empty; BuildHistory fills it in.
	Head string
	// Last is the date of the last commit: validate any state of the
	// history with it, or a later date, as today.
	Last model.Date
}

// WriteHistory writes the history described by s to w as a git
// fast-import stream that builds refs/heads/main. The stream depends only
// on s: the same spec gives the same bytes.
func WriteHistory(w io.Writer, s HistorySpec) (HistoryInfo, error) {
	h, err := newHistory(s)
	if err != nil {
		return HistoryInfo{}, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	info := h.write(bw)
	if err := bw.Flush(); err != nil {
		return HistoryInfo{}, fmt.Errorf("generate: writing the history: %w", err)
	}
	return info, nil
}

// BuildHistory creates a git repository in dir, which must be empty or not
// exist yet, imports the history described by s with the git CLI (git init
// and git fast-import), repacks it as git's manual advises after an import,
// and checks out the branch main so the working tree matches HEAD.
func BuildHistory(dir string, s HistorySpec) (HistoryInfo, error) {
	if _, err := newHistory(s); err != nil {
		return HistoryInfo{}, err
	}
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return HistoryInfo{}, fmt.Errorf("generate: %s is not empty", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return HistoryInfo{}, fmt.Errorf("generate: %w", err)
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return HistoryInfo{}, fmt.Errorf("generate: building a history needs the git CLI: %w", err)
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command(gitPath, append([]string{"-C", dir}, args...)...)
		cmd.Env = gitEnv()
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("generate: git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
		}
		return strings.TrimSpace(out.String()), nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return HistoryInfo{}, fmt.Errorf("generate: %w", err)
	}
	if _, err := run("init", "--quiet"); err != nil {
		return HistoryInfo{}, err
	}
	if _, err := run("symbolic-ref", "HEAD", "refs/heads/main"); err != nil {
		return HistoryInfo{}, err
	}

	cmd := exec.Command(gitPath, "-C", dir, "fast-import", "--quiet")
	cmd.Env = gitEnv()
	if os.Getenv("GLIBC_TUNABLES") == "" {
		// fast-import allocates and frees zlib's buffers for every object;
		// glibc then gives the memory back at once, costing about as much
		// system time as the import itself (measured: 6.7 s down to 3.2 s
		// for 20,000 commits). Other C libraries ignore the variable.
		cmd.Env = append(cmd.Env, "GLIBC_TUNABLES=glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=67108864")
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return HistoryInfo{}, fmt.Errorf("generate: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return HistoryInfo{}, fmt.Errorf("generate: git fast-import: %w", err)
	}
	info, werr := WriteHistory(stdin, s)
	cerr := stdin.Close()
	if err := cmd.Wait(); err != nil {
		return HistoryInfo{}, fmt.Errorf("generate: git fast-import: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if werr != nil {
		return HistoryInfo{}, werr
	}
	if cerr != nil {
		return HistoryInfo{}, fmt.Errorf("generate: git fast-import: %w", cerr)
	}

	// fast-import stores each blob as a delta against the blob written
	// just before it, so a file's versions form long forward chains that
	// no repository made by git commit and gc has; git's own manual
	// (git-fast-import, "Packfile optimization") says to repack with -f
	// after an import. Readers of this repository then see the pack a
	// team's repository or a fresh clone of it has: deltas chosen by git
	// pack-objects, newest versions whole.
	if _, err := run("repack", "-a", "-d", "-f", "-q"); err != nil {
		return HistoryInfo{}, err
	}
	if _, err := run("-c", "core.autocrlf=false", "checkout", "--quiet", "--force", "main"); err != nil {
		return HistoryInfo{}, err
	}
	if info.Head, err = run("rev-parse", "HEAD"); err != nil {
		return HistoryInfo{}, err
	}
	return info, nil
}

// gitEnv is the environment without the variables that would point git
// at another repository than the one named with -C.
func gitEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR", "GIT_NAMESPACE":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// history is the in-memory state of a history being written: the
// workspace model, re-rendered one file per commit.
type history struct {
	s       HistorySpec
	g       *gen
	r       *rand.Rand
	prefix  string // "" or Dir + "/"
	end     model.Date
	objs    []*hObj
	pools   [][]krRef // per index in g.cycles: the key results of its objectives
	outside []*outsideFile
	offs    []int  // per commit, the initial one first: days after Start
	most    int    // most commits on one day
	buf     writer // rendering buffer, reused
	tmp     writer // check-in buffer, reused
}

type krRef struct{ o, k int }

type hObj struct {
	objective
	path, title, desc, category, contributors, tags, weight string
	aligns                                                  []string // rendered list items
	krs                                                     []*hKR
	initiatives                                             []byte // rendered, static
}

type hKR struct {
	id, title, desc, typ, unit, owner, due, weight string
	dec                                            int
	span                                           float64 // typical magnitude of the unit's values
	start, target, threshold, low, high            float64
	steps                                          []string // nil for a done/not-done milestone
	p                                              float64  // progress of increase and decrease
	done                                           int      // steps done; 0 or 1 without steps
	checkins                                       []byte   // rendered
	n                                              int      // number of check-ins
}

type outsideFile struct {
	path  string
	lines []string
}

// outsidePaths are the files outside the workspace that commits change.
var outsidePaths = []string{"README.md", "src/app.txt", "src/lib/util.txt", "docs/notes.md"}

var krWeights = []string{"0.5", "1", "2", "3"}

func newHistory(s HistorySpec) (*history, error) {
	n0 := s.Workspace.CheckinsPerKR
	switch {
	case n0 == 0:
		n0 = 1
	case n0 < 0:
		n0 = 0
	}
	s.Workspace = s.Workspace.WithDefaults()
	s.Workspace.CheckinsPerKR = n0
	if s.Commits <= 0 {
		s.Commits = DefaultHistoryCommits
	}
	switch {
	case math.IsNaN(s.WorkspaceShare) || s.WorkspaceShare > 1:
		return nil, fmt.Errorf("generate: workspace share %v is not between 0 and 1", s.WorkspaceShare)
	case s.WorkspaceShare == 0:
		s.WorkspaceShare = DefaultWorkspaceShare
	case s.WorkspaceShare < 0:
		s.WorkspaceShare = 0
	}
	if s.Dir == "" {
		s.Dir = DefaultHistoryDir
	}
	s.Dir = path.Clean(s.Dir)
	if path.IsAbs(s.Dir) || s.Dir == ".." || strings.HasPrefix(s.Dir, "../") || strings.ContainsAny(s.Dir, "\"\\\n\r") || s.Dir == ".git" || strings.HasPrefix(s.Dir, ".git/") {
		return nil, fmt.Errorf("generate: %q is not a folder inside the repository", s.Dir)
	}
	if s.Start.IsZero() {
		s.Start = HistoryStart
	}
	h := &history{s: s, end: HistoryEnd(s.Start)}
	if s.Start.After(h.end) {
		return nil, fmt.Errorf("generate: a history starting %s would end after %s", s.Start, h.end)
	}
	if s.Dir != "." {
		h.prefix = s.Dir + "/"
	}
	n, span := s.Commits, days(s.Start, h.end)
	h.offs = make([]int, n+1)
	perDay := map[int]int{0: 1}
	h.most = 1
	for i := 1; i <= n; i++ {
		h.offs[i] = (i*span + n - 1) / n
		perDay[h.offs[i]]++
		h.most = max(h.most, perDay[h.offs[i]])
	}
	if h.most > maxCommitsPerDay {
		return nil, fmt.Errorf("generate: %d commits from %s to %s make %d a day, more than %d", n, s.Start, h.end, h.most, maxCommitsPerDay)
	}
	h.g = newGen(s.Workspace)
	h.r = rand.New(rand.NewPCG(uint64(s.Seed), 0x686973746f7279^uint64(s.Workspace.Seed)))
	h.g.r = h.r
	return h, nil
}

// setup builds the initial workspace model.
func (h *history) setup() {
	g := h.g
	g.org()
	y := int(h.s.Start.Year)
	d := func(m time.Month, day int) model.Date { return model.NewDate(y, m, day) }
	ys := strconv.Itoa(y)
	g.cycles = []cycle{{id: "y" + ys, name: "Year " + ys, start: d(1, 1), end: d(12, 31)}}
	for q := 0; q < 4; q++ {
		qs := strconv.Itoa(q + 1)
		start := d(time.Month(3*q+1), 1)
		g.cycles = append(g.cycles, cycle{id: ys + "-q" + qs, name: "Q" + qs + " " + ys, parent: "y" + ys,
			start: start, end: model.DateOf(start.Time().AddDate(0, 3, -1))})
	}
	g.plan()
	h.pools = make([][]krRef, len(g.cycles))
	for i := range g.objs {
		h.objs = append(h.objs, h.newObjective(i))
	}
	for _, p := range outsidePaths {
		if h.prefix != "" && strings.HasPrefix(p, h.prefix) {
			continue
		}
		f := &outsideFile{path: p, lines: []string{"# " + p}}
		for k := 0; k < 24; k++ {
			f.lines = append(f.lines, fmt.Sprintf("%02d %s", k+1, g.sentence(4, 10)))
		}
		h.outside = append(h.outside, f)
	}
}

// newObjective makes objective i of g.objs, with its initial check-ins.
func (h *history) newObjective(i int) *hObj {
	g, r := h.g, h.r
	o := &hObj{objective: g.objs[i]}
	ci := 0 // the year
	if o.level == "team" || o.level == "individual" {
		if r.IntN(2) == 0 {
			ci = 1 + r.IntN(4)
		}
	}
	cy := g.cycles[ci]
	o.cycle = cy.id
	o.path = h.prefix + "objectives/" + o.team + "/" + o.id + ".yaml"
	o.title = verbs[r.IntN(len(verbs))] + " " + nouns[r.IntN(len(nouns))]
	o.desc = g.sentence(10, 22)
	if r.IntN(2) == 0 {
		a := g.people[r.IntN(len(g.people))].id
		b := g.teams[r.IntN(len(g.teams))].id
		if a != o.owner && b != o.owner {
			o.contributors = "[" + a + ", " + b + "]"
		}
	}
	o.category = categories[r.IntN(len(categories))].id
	t1 := r.IntN(len(tagWords))
	t2 := (t1 + 1 + r.IntN(len(tagWords)-1)) % len(tagWords)
	o.tags = "[" + tagWords[t1] + ", " + tagWords[t2] + "]"
	if r.IntN(5) == 0 {
		o.weight = num(float64(1 + r.IntN(3)))
	}
	for k, p := range g.parentsFor(i) {
		// Only parents whose cycle contains this one's (alignment-cycle);
		// the random draws are made for every parent all the same.
		plain := k == 0 && r.IntN(3) > 0
		weight := ""
		if !plain {
			weight = num(round(0.5+r.Float64()*1.5, 1))
		}
		if !g.within(o.cycle, h.objs[p].cycle) {
			continue
		}
		if plain {
			o.aligns = append(o.aligns, "- "+g.objs[p].id+"\n")
			continue
		}
		o.aligns = append(o.aligns, "- objective: "+g.objs[p].id+"\n  weight: "+weight+"\n")
	}
	nk := g.s.KRsPerObjective
	for k := 0; k < nk; k++ {
		kr := h.newKR(o, fmt.Sprintf("%s-kr%d", o.id, k+1), krTypes[(i*nk+k)%len(krTypes)], k, cy)
		o.krs = append(o.krs, kr)
		h.pools[ci] = append(h.pools[ci], krRef{i, k})
		if n := g.s.CheckinsPerKR; n > 0 && !cy.start.After(h.s.Start) {
			last := minDate(cy.end, h.s.Start)
			span := days(cy.start, last)
			for c := 0; c < n; c++ {
				h.addCheckin(o, kr, addDays(cy.start, span*(c+1)/n), g.memberOf(o.ti))
			}
		}
	}
	if ni := r.IntN(3); ni > 0 {
		var w writer
		w.line(0, "initiatives:")
		for k := 0; k < ni; k++ {
			w.kv(0, "- id", fmt.Sprintf("%s-i%d", o.id, k+1))
			w.kv(2, "title", str(stepWords[r.IntN(len(stepWords))]+" for "+nouns[r.IntN(len(nouns))]))
			w.kv(2, "link", fmt.Sprintf("https://tracker.example.com/browse/OKR-%d", 1000+i*3+k))
			w.kv(2, "status", []string{"planned", "in_progress", "done", "cancelled"}[r.IntN(4)])
			w.kv(2, "owner", g.memberOf(o.ti))
			w.kv(2, "key_result", o.krs[r.IntN(nk)].id)
			w.kv(2, "due", addDays(cy.start, r.IntN(days(cy.start, cy.end)+1)).String())
		}
		o.initiatives = w.Bytes()
	}
	return o
}

func (h *history) newKR(o *hObj, id, typ string, k int, cy cycle) *hKR {
	g, r := h.g, h.r
	u := units[r.IntN(len(units))]
	kr := &hKR{id: id, typ: typ, dec: u.decimals, span: u.hi - u.lo}
	kr.title = krVerbs[typ][r.IntN(len(krVerbs[typ]))] + " " + nouns[r.IntN(len(nouns))]
	if r.IntN(3) == 0 {
		kr.desc = g.sentence(6, 14)
	}
	switch typ {
	case model.Increase, model.Decrease:
		a := round(u.lo+r.Float64()*kr.span*0.5, kr.dec)
		b := round(a+kr.span*(0.1+r.Float64()*0.4), kr.dec)
		if b == a {
			b = a + 1
		}
		if typ == model.Decrease {
			a, b = b, a
		}
		kr.start, kr.target = a, b
	case model.AtLeast, model.AtMost:
		kr.threshold = round(u.lo+r.Float64()*kr.span, kr.dec)
	case model.Range:
		kr.low = round(u.lo+r.Float64()*kr.span*0.5, kr.dec)
		kr.high = round(kr.low+kr.span*(0.1+r.Float64()*0.3), kr.dec)
	case model.Milestone:
		if r.IntN(3) > 0 {
			ns := 3 + r.IntN(4)
			first := r.IntN(len(stepWords))
			for s := 0; s < ns; s++ {
				kr.steps = append(kr.steps, stepWords[(first+s)%len(stepWords)])
			}
		}
	}
	if typ != model.Milestone {
		kr.unit = u.id
	}
	switch {
	case k > 0 && r.IntN(8) == 0:
		kr.weight = "0"
	case r.IntN(4) == 0:
		kr.weight = num(float64(2 + r.IntN(2)))
	}
	kr.owner = g.memberOf(o.ti)
	if r.IntN(2) == 0 {
		kr.due = addDays(cy.start, days(cy.start, cy.end)-r.IntN(14)).String()
	}
	return kr
}

// addCheckin appends a check-in dated d by author to kr.
func (h *history) addCheckin(o *hObj, kr *hKR, d model.Date, author string) {
	r := h.r
	var v string
	switch kr.typ {
	case model.Increase, model.Decrease:
		kr.p = math.Min(1.15, math.Max(0, kr.p-0.03+r.Float64()*0.15))
		v = num(round(kr.start+(kr.target-kr.start)*kr.p, kr.dec))
	case model.AtLeast:
		v = num(round(kr.threshold+(r.Float64()-0.3)*kr.span*0.1, kr.dec))
	case model.AtMost:
		v = num(round(kr.threshold-(r.Float64()-0.3)*kr.span*0.1, kr.dec))
	case model.Range:
		v = num(round(kr.low+(kr.high-kr.low)*(r.Float64()*1.4-0.2), kr.dec))
	default: // milestone
		switch {
		case kr.steps == nil:
			if kr.done == 0 && r.IntN(4) == 0 {
				kr.done = 1
			}
			v = strconv.FormatBool(kr.done == 1)
		default:
			if kr.done < len(kr.steps) && r.IntN(3) == 0 {
				kr.done++
			}
			v = strconv.Itoa(kr.done)
		}
	}
	w := &h.tmp
	w.Reset()
	w.kv(2, "- date", d.String())
	w.kv(4, "value", v)
	conf := round(math.Min(1, math.Max(0, 0.75+(r.Float64()-0.5)*0.5)), 1)
	w.kv(4, "confidence", num(conf))
	if conf <= 0.5 {
		w.kv(4, "status", "at_risk")
	}
	if r.IntN(3) == 0 {
		w.kv(4, "author", author)
	}
	w.kv(4, "note", str(h.g.sentence(noteMin, noteMax)))
	if r.IntN(12) == 0 {
		q := questions[r.IntN(len(questions))]
		w.line(4, "answers:")
		w.kv(6, q.id, str(h.g.sentence(3, 8)))
	}
	kr.checkins = append(kr.checkins, w.Bytes()...)
	kr.n++
}

// render returns objective o's file, valid until the next render.
func (h *history) render(o *hObj) []byte {
	w := &h.buf
	w.Reset()
	w.line(0, schemaLine("objective"))
	w.kv(0, "id", o.id)
	w.kv(0, "title", str(o.title))
	w.kv(0, "description", str(o.desc))
	w.kv(0, "cycle", o.cycle)
	w.kv(0, "level", o.level)
	w.kv(0, "owner", o.owner)
	if o.contributors != "" {
		w.kv(0, "contributors", o.contributors)
	}
	w.kv(0, "category", o.category)
	w.kv(0, "tags", o.tags)
	if o.weight != "" {
		w.kv(0, "weight", o.weight)
	}
	if len(o.aligns) > 0 {
		w.line(0, "aligns_to:")
		for _, a := range o.aligns {
			w.WriteString(a)
		}
	}
	w.line(0, "key_results:")
	for _, kr := range o.krs {
		w.kv(0, "- id", kr.id)
		w.kv(2, "title", str(kr.title))
		if kr.desc != "" {
			w.kv(2, "description", str(kr.desc))
		}
		w.kv(2, "type", kr.typ)
		switch kr.typ {
		case model.Increase, model.Decrease:
			w.kv(2, "start", num(kr.start))
			w.kv(2, "target", num(kr.target))
		case model.AtLeast, model.AtMost:
			w.kv(2, "threshold", num(kr.threshold))
		case model.Range:
			w.kv(2, "low", num(kr.low))
			w.kv(2, "high", num(kr.high))
		case model.Milestone:
			if kr.steps != nil {
				w.line(2, "steps:")
				for _, s := range kr.steps {
					w.line(2, "- "+str(s))
				}
			}
		}
		if kr.unit != "" {
			w.kv(2, "unit", kr.unit)
		}
		if kr.weight != "" {
			w.kv(2, "weight", kr.weight)
		}
		w.kv(2, "owner", kr.owner)
		if kr.due != "" {
			w.kv(2, "due", kr.due)
		}
		if kr.n > 0 {
			w.line(2, "checkins:")
			w.Write(kr.checkins)
		}
	}
	w.Write(o.initiatives)
	return w.Bytes()
}

// edit changes one thing of objective o and returns what, for the commit
// message.
func (h *history) edit(o *hObj) string {
	g, r := h.g, h.r
	kind := r.IntN(4)
	kr := o.krs[r.IntN(len(o.krs))]
	if kind == 2 && kr.typ == model.Milestone {
		kind = 3
	}
	switch kind {
	case 0:
		vi, ni := r.IntN(len(verbs)), r.IntN(len(nouns))
		t := verbs[vi] + " " + nouns[ni]
		if t == o.title {
			t = verbs[vi] + " " + nouns[(ni+1)%len(nouns)]
		}
		o.title = t
		return "title"
	case 1:
		d := g.sentence(10, 22)
		for d == o.desc {
			d = g.sentence(10, 22)
		}
		o.desc = d
		return "description"
	case 2:
		unit := math.Pow(10, -float64(kr.dec))
		sign := 1.0
		if r.IntN(2) == 0 {
			sign = -1
		}
		switch kr.typ {
		case model.Increase, model.Decrease:
			// Move the target by 5 to 25 % of its distance from the start:
			// never past the start, so the direction stays.
			t := round(kr.target+sign*(0.05+r.Float64()*0.2)*(kr.target-kr.start), kr.dec)
			if t == kr.target {
				t = round(kr.target+math.Copysign(unit, kr.target-kr.start), kr.dec)
			}
			kr.target = t
		case model.AtLeast, model.AtMost:
			t := round(kr.threshold+sign*(0.02+r.Float64()*0.08)*kr.span, kr.dec)
			if t == kr.threshold {
				t = round(kr.threshold+unit, kr.dec)
			}
			kr.threshold = t
		case model.Range:
			delta := round(sign*(0.02+r.Float64()*0.08)*kr.span, kr.dec)
			if delta == 0 {
				delta = unit
			}
			kr.low, kr.high = round(kr.low+delta, kr.dec), round(kr.high+delta, kr.dec)
		}
		return kr.id + " target"
	default:
		cur := kr.weight
		if cur == "" {
			cur = "1"
		}
		w := krWeights[r.IntN(len(krWeights))]
		if w == cur {
			w = krWeights[(r.IntN(len(krWeights)-1)+1+indexOf(krWeights, w))%len(krWeights)]
		}
		kr.weight = w
		return kr.id + " weight"
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// pickKR returns a key result whose objective's cycle contains d and that
// has fewer than MaxCheckinsPerKR check-ins, or false when there is none.
func (h *history) pickKR(d model.Date) (krRef, bool) {
	total := 0
	for ci, c := range h.g.cycles {
		if !d.Before(c.start) && !d.After(c.end) {
			total += len(h.pools[ci])
		}
	}
	if total == 0 {
		return krRef{}, false
	}
	start := h.r.IntN(total)
	for probe := 0; probe < total; probe++ {
		i := (start + probe) % total
		for ci, c := range h.g.cycles {
			if d.Before(c.start) || d.After(c.end) {
				continue
			}
			if i >= len(h.pools[ci]) {
				i -= len(h.pools[ci])
				continue
			}
			ref := h.pools[ci][i]
			if h.objs[ref.o].krs[ref.k].n < MaxCheckinsPerKR {
				return ref, true
			}
			break
		}
	}
	return krRef{}, false
}

// maxCommitsPerDay is the most commits a history puts on one day: one a
// second from 08:00 to 20:00 UTC.
const maxCommitsPerDay = 12 * 3600

// commitTimes returns the unix times and dates of the initial commit and
// the Commits after it: spread evenly over the days from Start to the end,
// between 08:00 and 20:00 UTC, strictly increasing.
func (h *history) commitTimes() ([]int64, []model.Date) {
	step := maxCommitsPerDay / h.most
	times := make([]int64, len(h.offs))
	dates := make([]model.Date, len(h.offs))
	k := 0
	for i, off := range h.offs {
		if i > 0 && off != h.offs[i-1] {
			k = 0
		}
		dates[i] = addDays(h.s.Start, off)
		times[i] = dates[i].Time().Unix() + 8*3600 + int64(k*step+h.r.IntN(step))
		k++
	}
	return times, dates
}

// write writes the whole fast-import stream to w and returns the info;
// write errors are left in w.
func (h *history) write(w *bufio.Writer) HistoryInfo {
	h.setup()
	g := h.g
	info := HistoryInfo{
		Commits:          1 + h.s.Commits,
		WorkspaceCommits: 1,
		Touched:          make(map[string]int, len(h.objs)),
		Paths:            make(map[string]string, len(h.objs)),
	}
	for _, o := range h.objs {
		info.Objectives = append(info.Objectives, o.id)
		info.Paths[o.id] = o.path
		info.Touched[o.id] = 1
	}
	times, dates := h.commitTimes()
	info.Last = dates[len(dates)-1]

	w.WriteString("feature done\n")
	h.header(w, g.people[0], times[0], "Add the OKR workspace")
	h.inline(w, h.prefix+"okr.yaml", g.workspaceFile())
	h.inline(w, h.prefix+"org.yaml", g.orgFile())
	h.inline(w, h.prefix+"cycles.yaml", h.cyclesFile())
	for _, o := range h.objs {
		h.inline(w, o.path, h.render(o))
	}
	for _, f := range h.outside {
		h.inline(w, f.path, f.bytes())
	}
	w.WriteByte('\n')

	need := int(math.Round(float64(h.s.Commits) * h.s.WorkspaceShare))
	for i := 1; i <= h.s.Commits; i++ {
		d := dates[i]
		if h.r.IntN(h.s.Commits-i+1) >= need {
			f := h.outside[h.r.IntN(len(h.outside))]
			k := 1 + h.r.IntN(len(f.lines)-1)
			f.lines[k] = fmt.Sprintf("%02d %s (change %d)", k, g.sentence(4, 10), i)
			h.header(w, g.people[h.r.IntN(len(g.people))], times[i], "chore: update "+f.path)
			h.inline(w, f.path, f.bytes())
			w.WriteByte('\n')
			continue
		}
		need--
		info.WorkspaceCommits++
		var o *hObj
		var msg string
		var who person
		if ref, ok := h.pickKR(d); ok && h.r.IntN(5) > 0 {
			o = h.objs[ref.o]
			kr := o.krs[ref.k]
			who = g.people[h.member(o.ti)]
			h.addCheckin(o, kr, d, who.id)
			msg = "checkin: " + kr.id + " " + d.String()
		} else {
			o = h.objs[h.r.IntN(len(h.objs))]
			who = g.people[h.member(o.ti)]
			msg = "edit: " + o.id + " " + h.edit(o)
		}
		info.Touched[o.id]++
		h.header(w, who, times[i], msg)
		h.inline(w, o.path, h.render(o))
		w.WriteByte('\n')
	}
	w.WriteString("done\n")
	return info
}

// member returns the index in g.people of a random member of team t (an
// index in g.teams), or of any person when the team has no members.
func (h *history) member(t int) int {
	if ms := h.g.members[t]; len(ms) > 0 {
		return ms[h.r.IntN(len(ms))]
	}
	return h.r.IntN(len(h.g.people))
}

func (h *history) header(w *bufio.Writer, p person, t int64, msg string) {
	who := p.name + " <" + p.id + "@example.com> " + strconv.FormatInt(t, 10) + " +0000\n"
	w.WriteString("commit refs/heads/main\nauthor " + who + "committer " + who)
	w.WriteString("data " + strconv.Itoa(len(msg)+1) + "\n" + msg + "\n")
}

func (h *history) inline(w *bufio.Writer, p string, data []byte) {
	w.WriteString("M 100644 inline " + p + "\ndata " + strconv.Itoa(len(data)) + "\n")
	w.Write(data)
	w.WriteByte('\n')
}

func (f *outsideFile) bytes() []byte {
	return []byte(strings.Join(f.lines, "\n") + "\n")
}

func (h *history) cyclesFile() []byte {
	var w writer
	w.line(0, schemaLine("cycles"))
	w.line(0, "cycles:")
	for i, c := range h.g.cycles {
		w.kv(0, "- id", c.id)
		w.kv(2, "name", str(c.name))
		w.kv(2, "start", c.start.String())
		w.kv(2, "end", c.end.String())
		if i == 0 {
			w.kv(2, "cadence", "monthly")
		} else {
			w.kv(2, "cadence", "weekly")
		}
		if c.parent != "" {
			w.kv(2, "parent", c.parent)
		}
	}
	return w.Bytes()
}
