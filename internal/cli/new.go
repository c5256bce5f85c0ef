package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/okrkit/okr/internal/edit"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/scaffold"
	"github.com/okrkit/okr/schema"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
	"golang.org/x/term"
)

// NewOptions are the inputs of `okr new cycle|objective|kr`: the flags of
// all three; each uses its own.
type NewOptions struct {
	IO          IOStreams
	Env         Env
	Dir         string
	What        string // cycle, objective or kr
	Interactive bool
	Fields      map[string]*string
	Set         map[string]bool // flags given on the command line
}

// newFields lists each kind's flags in the order they are asked for.
var newFields = map[string][]newField{
	"cycle": {
		{"id", "id (e.g. 2027-q1; derived from the name when empty)", false},
		{"name", "name", false},
		{"start", "first day (YYYY-MM-DD)", true},
		{"end", "last day (YYYY-MM-DD)", true},
		{"cadence", "check-in cadence (weekly, biweekly, monthly)", false},
		{"parent", "parent cycle id", false},
	},
	"objective": {
		{"title", "title", true},
		{"id", "id (derived from the title when empty)", false},
		{"cycle", "cycle id", true},
		{"level", "level (company, department, team, individual)", false},
		{"owner", "owner (a person or team id)", false},
		{"aligns-to", "aligns to (parent objective ids, comma-separated, each ID or ID:WEIGHT; repeatable)", false},
		{"category", "category id", false},
		{"file", "file (default objectives/OWNER/ID.yaml)", false},
	},
	"kr": {
		{"objective", "objective id", true},
		{"title", "title", true},
		{"id", "id (derived from the title when empty)", false},
		{"type", "type (increase, decrease, at_least, at_most, range, milestone)", true},
		{"start", "start value", false},
		{"target", "target value", false},
		{"threshold", "threshold (at_least, at_most)", false},
		{"low", "low end (range)", false},
		{"high", "high end (range)", false},
		{"unit", "unit id", false},
		{"owner", "owner (a person or team id)", false},
		{"weight", "weight", false},
		{"due", "due date (YYYY-MM-DD)", false},
		{"steps", "steps of a milestone: a number N (Step 1 .. Step N), or the steps' names, comma-separated (repeatable)", false},
	},
}

type newField struct {
	flag, prompt string
	required     bool
}

// NewCmdNew builds `okr new`. runF replaces the action in tests.
func NewCmdNew(env Env, g *globalOptions, runF func(*NewOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new cycle|objective|kr [flags]",
		Short: "Create a cycle, an objective or a key result",
		Long: `Create a cycle (in cycles.yaml), an objective (a new file under objectives/)
or a key result (in its objective's file) from flags. On a terminal, or
with --interactive, okr asks for whatever the flags left out.

Ids are derived from names and titles when not given ("Cut p99 latency"
becomes cut-p99-latency; a taken id gets -2, -3, ...), and a given id must
be unique. A cycle named like 2027-q1 or 2027 gets its dates and name from
the id. The workspace is validated with the new entry before anything is
written, and files are written atomically, comments and layout kept.`,
		Example: `  okr new cycle --id 2027-q1 --parent 2027
  okr new objective --title "Make onboarding effortless" --owner growth
  okr new kr --objective make-onboarding-effortless --title "Activation at 40%" --type increase --start 28 --target 40`,
		Args: noArgs,
	}
	for _, what := range []string{"cycle", "objective", "kr"} {
		cmd.AddCommand(newSubCmd(env, g, what, runF))
	}
	return cmd
}

func newSubCmd(env Env, g *globalOptions, what string, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{IO: env.IO, Env: env, What: what, Fields: map[string]*string{}, Set: map[string]bool{}}
	short := map[string]string{
		"cycle":     "Add a planning period to cycles.yaml",
		"objective": "Create an objective file",
		"kr":        "Add a key result to an objective",
	}[what]
	example := map[string]string{
		"cycle": "  okr new cycle --id 2027-q1 --parent 2027 --cadence weekly",
		"objective": `  okr new objective --title "Make onboarding effortless" --cycle 2026-q4 --owner growth --aligns-to delight-customers
  okr new objective --title "Win enterprise" --aligns-to grow-arr:2 --aligns-to delight-customers:0.5`,
		"kr": `  okr new kr --objective reliable-platform --title "Error budget burn under 50%" --type at_most --threshold 50 --unit percent
  okr new kr --objective reliable-platform --title "Second region live" --type milestone --steps 4 --due 2026-12-15
  okr new kr --objective reliable-platform --title "Runbooks" --type milestone --steps "Write,Review,Drill"`,
	}[what]
	cmd := &cobra.Command{
		Use:     what,
		Short:   short,
		Example: example,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Dir = g.Dir
			for name := range opts.Fields {
				opts.Set[name] = cmd.Flags().Changed(name)
			}
			if runF != nil {
				return runF(opts)
			}
			return runNew(opts)
		},
	}
	for _, f := range newFields[what] {
		v := new(string)
		opts.Fields[f.flag] = v
		if listFlags[f.flag] {
			cmd.Flags().Var(&listValue{v}, f.flag, f.prompt)
			continue
		}
		cmd.Flags().StringVar(v, f.flag, "", f.prompt)
	}
	cmd.Flags().BoolVarP(&opts.Interactive, "interactive", "i", false, "ask for missing fields on standard input, even when it is not a terminal")
	return cmd
}

// listFlags are the flags that may be given more than once; their values
// are joined with commas.
var listFlags = map[string]bool{"aligns-to": true, "steps": true}

// listValue is a repeatable string flag whose values join with commas.
type listValue struct{ p *string }

func (l *listValue) String() string {
	if l.p == nil {
		return ""
	}
	return *l.p
}

func (l *listValue) Set(v string) error {
	if *l.p != "" {
		v = *l.p + "," + v
	}
	*l.p = v
	return nil
}

func (l *listValue) Type() string { return "list" }

// prompter asks for missing fields, one line each.
type prompter struct {
	on  bool
	in  *bufio.Reader
	out io.Writer
}

func newPrompter(opts *NewOptions) *prompter {
	on := opts.Interactive
	if f, ok := opts.IO.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		on = true
	}
	return &prompter{on: on, in: bufio.NewReader(opts.IO.In), out: opts.IO.ErrOut}
}

// fill asks for every field the flags left empty; a required one that is
// still empty is a usage error.
func (p *prompter) fill(opts *NewOptions, defaults map[string]string) error {
	for _, f := range newFields[opts.What] {
		v := opts.Fields[f.flag]
		if *v != "" || opts.Set[f.flag] {
			continue
		}
		def := defaults[f.flag]
		if p.on {
			label := f.prompt
			if def != "" {
				label += " [" + def + "]"
			}
			fmt.Fprintf(p.out, "%s: ", label)
			line, err := p.in.ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read answer: %w", err)
			}
			*v = strings.TrimSpace(line)
			if errors.Is(err, io.EOF) && line == "" {
				p.on = false // no more answers: use the defaults
			}
		}
		if *v == "" {
			*v = def
		}
		if *v == "" && f.required {
			return usageError{fmt.Errorf("--%s is required", f.flag)}
		}
	}
	return nil
}

func runNew(opts *NewOptions) error {
	ed, err := beginEdit(opts.Env, opts.Dir)
	if err != nil {
		return err
	}
	defer ed.done()
	p := newPrompter(opts)
	get := func(name string) string { return strings.TrimSpace(*opts.Fields[name]) }
	var what, where string
	switch opts.What {
	case "cycle":
		if err := p.fill(opts, cycleDefaults(ed.ws(), get("id"))); err != nil {
			return err
		}
		what, where, err = newCycle(ed, get)
	case "objective":
		defaults := map[string]string{"level": "team"}
		if c := report.ActiveCycle(ed.ws(), ed.day); c != nil {
			defaults["cycle"] = c.ID
		}
		if err := p.fill(opts, defaults); err != nil {
			return err
		}
		what, where, err = newObjective(ed, get)
	case "kr":
		if err := p.fill(opts, map[string]string{"type": "increase"}); err != nil {
			return err
		}
		what, where, err = newKR(ed, get)
	}
	if err != nil {
		return err
	}
	for _, f := range newFields[opts.What] {
		if err := edit.TextErr(f.flag, get(f.flag)); err != nil {
			return refuse("", "--%s: %v; nothing was written", f.flag, err)
		}
	}
	if _, err := ed.commit(); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "created %s in %s\n", what, where)
	return nil
}

var quarterID = regexp.MustCompile(`^(\d{4})-q([1-4])$`)

// cycleDefaults derives a cycle's name and dates from an id like 2027-q1
// or 2027, and its parent from the year's cycle when there is one.
func cycleDefaults(ws *model.Workspace, id string) map[string]string {
	d := map[string]string{"cadence": "weekly"}
	if m := quarterID.FindStringSubmatch(id); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		_, d["name"], d["start"], d["end"] = scaffold.Quarter(time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC))
		if ws.Cycle(m[1]) != nil {
			d["parent"] = m[1]
		}
	} else if y, err := strconv.Atoi(id); err == nil && len(id) == 4 {
		d["name"] = fmt.Sprintf("FY %d", y)
		d["start"] = fmt.Sprintf("%d-01-01", y)
		d["end"] = fmt.Sprintf("%d-12-31", y)
		d["cadence"] = "monthly"
	}
	return d
}

func newCycle(ed *workspaceEdit, get func(string) string) (string, string, error) {
	taken := map[string]string{}
	for _, c := range ed.ws().Cycles {
		taken[c.ID] = "a cycle"
	}
	id, err := pickID(ed.env.IO.ErrOut, get("id"), get("name"), taken, "cycle")
	if err != nil {
		return "", "", err
	}
	for _, k := range []string{"start", "end"} {
		if _, err := model.ParseDate(get(k)); err != nil {
			return "", "", refuse("", "--%s %q is not a date (want YYYY-MM-DD); nothing was written", k, get(k))
		}
	}
	name := get("name")
	if name == "" {
		name = id
	}
	node := edit.Map("id", edit.String(id), "name", edit.String(name), "start", edit.Scalar(get("start")),
		"end", edit.Scalar(get("end")), "cadence", optional(get("cadence")), "parent", optionalString(get("parent")))
	rel := load.CyclesFile
	data, err := ed.read(rel)
	if errors.Is(err, os.ErrNotExist) {
		data = []byte("cycles: []\n")
		if ref := schemaRef(ed, rel, "cycles"); ref != "" {
			data = []byte("# yaml-language-server: $schema=" + ref + "\n" + string(data))
		}
	} else if err != nil {
		return "", "", fmt.Errorf("read %s: %w", rel, err)
	}
	d, err := edit.Parse(rel, data)
	if err != nil {
		return "", "", editErr(err, rel)
	}
	if err := d.Insert(d.Root(), "cycles", -1, node); err != nil {
		return "", "", editErr(err, rel)
	}
	ed.put(rel, d.Bytes())
	return "cycle " + id, rel, nil
}

func newObjective(ed *workspaceEdit, get func(string) string) (string, string, error) {
	id, err := pickID(ed.env.IO.ErrOut, get("id"), get("title"), takenIDs(ed.ws()), "objective")
	if err != nil {
		return "", "", err
	}
	aligns, err := alignsTo(get("aligns-to"))
	if err != nil {
		return "", "", err
	}
	rel := get("file")
	if rel == "" {
		dir := load.ObjectivesDir
		if o := get("owner"); o != "" {
			dir += "/" + o
		}
		rel = dir + "/" + id + ".yaml"
	}
	rel = path.Clean(strings.TrimPrefix(rel, "./"))
	if kind, ok := load.KindOf(rel); !ok || kind != load.KindObjective {
		return "", "", usageError{fmt.Errorf("--file %s is not a .yaml file under objectives/", rel)}
	}
	if _, err := os.Stat(ed.abs(rel)); err == nil {
		return "", "", refuse("pass --file to put it elsewhere, or --id to name it differently", "%s already exists; nothing was written", rel)
	}
	node := edit.Map("id", edit.String(id), "title", edit.String(get("title")), "cycle", edit.String(get("cycle")),
		"level", optional(get("level")), "owner", optionalString(get("owner")), "category", optionalString(get("category")),
		"aligns_to", aligns)
	var b strings.Builder
	if ref := schemaRef(ed, rel, "objective"); ref != "" {
		b.WriteString("# yaml-language-server: $schema=" + ref + "\n")
	}
	body, err := yaml.Marshal(node)
	if err != nil {
		return "", "", err
	}
	b.Write(body)
	b.WriteString("key_results: []\n")
	out, err := edit.Format(rel, []byte(b.String()))
	if err != nil {
		return "", "", err
	}
	ed.put(rel, out)
	return "objective " + id, rel, nil
}

func newKR(ed *workspaceEdit, get func(string) string) (string, string, error) {
	var obj *model.Objective
	for _, o := range ed.ws().Objectives {
		if o.ID == get("objective") && obj == nil {
			obj = o
		}
	}
	if obj == nil {
		return "", "", refuse("", "no objective %q in the workspace; nothing was written", get("objective"))
	}
	id, err := pickID(ed.env.IO.ErrOut, get("id"), get("title"), takenIDs(ed.ws()), "key result")
	if err != nil {
		return "", "", err
	}
	num := func(name string) (*yaml.Node, error) {
		v := get(name)
		if v == "" {
			return nil, nil
		}
		f, err := edit.ParseNumber(v)
		if err != nil {
			return nil, refuse("write plain decimals like 120, -3 or 0.75", "--%s %q is not a number; nothing was written", name, v)
		}
		return edit.Number(f), nil
	}
	fields := []any{"id", edit.String(id), "title", edit.String(get("title")), "type", edit.Scalar(get("type"))}
	for _, k := range []string{"start", "target", "threshold", "low", "high"} {
		n, err := num(k)
		if err != nil {
			return "", "", err
		}
		fields = append(fields, k, n)
	}
	fields = append(fields, "unit", optionalString(get("unit")), "owner", optionalString(get("owner")))
	w, err := num("weight")
	if err != nil {
		return "", "", err
	}
	fields = append(fields, "weight", w, "due", optional(get("due")))
	steps, err := stepsOf(get("steps"), get("type"))
	if err != nil {
		return "", "", err
	}
	fields = append(fields, "steps", steps)
	d, err := ed.doc(obj.File())
	if err != nil {
		return "", "", err
	}
	if err := d.Insert(d.Root(), "key_results", -1, edit.Map(fields...)); err != nil {
		return "", "", editErr(err, obj.File())
	}
	ed.put(obj.File(), d.Bytes())
	return "key result " + id + " of " + obj.ID, obj.File(), nil
}

// alignsTo turns --aligns-to (ID or ID:WEIGHT, comma-separated) into the
// aligns_to list: plain ids in flow style ([a, b]) when no link has a
// weight, else one block item each, {objective, weight} where weighted.
func alignsTo(list string) (*yaml.Node, error) {
	items := splitList(list)
	if len(items) == 0 {
		return nil, nil
	}
	out := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, x := range items {
		id, weight, weighted := strings.Cut(x, ":")
		if !weighted {
			out.Content = append(out.Content, edit.String(x))
			continue
		}
		w, err := edit.ParseNumber(weight)
		if err != nil || w < 0 {
			return nil, refuse("give a link weight as a plain decimal, like --aligns-to grow-arr:0.5", "--aligns-to %q: weight %q is not a number of 0 or more; nothing was written", x, weight)
		}
		out.Style = 0
		out.Content = append(out.Content, edit.Map("objective", edit.String(id), "weight", edit.Number(w)))
	}
	return out, nil
}

// stepsOf turns --steps (a number N, or the steps' names, comma-separated)
// into a milestone's steps list.
func stepsOf(list, typ string) (*yaml.Node, error) {
	items := splitList(list)
	if len(items) == 0 {
		return nil, nil
	}
	if typ != model.Milestone {
		return nil, refuse("only a milestone has steps: add --type milestone, or leave out --steps", "--steps is given for a key result of type %s; nothing was written", typ)
	}
	if len(items) == 1 {
		if n, err := strconv.Atoi(items[0]); err == nil {
			if n < 1 || n > 100 {
				return nil, refuse("give between 1 and 100 steps", "--steps %d is not a number of steps okr writes; nothing was written", n)
			}
			items = items[:0]
			for i := 1; i <= n; i++ {
				items = append(items, fmt.Sprintf("Step %d", i))
			}
		}
	}
	out := &yaml.Node{Kind: yaml.SequenceNode}
	for _, x := range items {
		out.Content = append(out.Content, edit.String(x))
	}
	return out, nil
}

func optional(s string) *yaml.Node {
	if s == "" {
		return nil
	}
	return edit.Scalar(s)
}

func optionalString(s string) *yaml.Node {
	if s == "" {
		return nil
	}
	return edit.String(s)
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// takenIDs maps the ids of objectives and key results, which share one
// namespace, to what holds them ("an objective", "a key result").
func takenIDs(ws *model.Workspace) map[string]string {
	taken := map[string]string{}
	claim := func(id, what string) {
		if _, ok := taken[id]; !ok && id != "" {
			taken[id] = what
		}
	}
	for _, o := range ws.Objectives {
		claim(o.ID, "an objective")
		for _, kr := range o.KeyResults {
			claim(kr.ID, "a key result")
		}
	}
	return taken
}

// pickID returns the given id, checked, or one derived from title that no
// one has taken (taken maps ids to what holds them). A derived id that is
// taken gets -2, -3, ..., with a note on notes saying so.
func pickID(notes io.Writer, given, title string, taken map[string]string, what string) (string, error) {
	if given != "" {
		if !model.ValidID(given) {
			return "", refuse("ids are lowercase letters, digits, '.', '_' and '-', starting with a letter or digit", "id %q is not a valid id; nothing was written", given)
		}
		if holder, ok := taken[given]; ok {
			return "", refuse("choose another --id, or leave it out to derive one from the title", "%s with id %q already exists; nothing was written", holder, given)
		}
		return given, nil
	}
	base := slug(title)
	if base == "" {
		return "", refuse("", "cannot derive an id from %q: give --id", title)
	}
	id := base
	for n := 2; taken[id] != ""; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	if id != base {
		fmt.Fprintf(notes, "okr: note: id %q is taken by %s, so the new %s gets id %q (give --id to choose another)\n", base, taken[base], what, id)
	}
	return id, nil
}

// slug derives an id from a title: lowercase ASCII words joined by "-",
// at most six words and 48 characters.
func slug(title string) string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			cur.WriteRune(r)
		case r == '%':
			flush()
			words = append(words, "pct")
		default:
			if a, ok := foldAccent[r]; ok {
				cur.WriteString(a)
				continue
			}
			flush()
		}
	}
	flush()
	var out string
	for i, w := range words {
		if i == 6 || len(out)+len(w)+1 > 48 {
			break
		}
		if out != "" {
			out += "-"
		}
		out += w
	}
	return out
}

var foldAccent = map[rune]string{'à': "a", 'á': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'ç': "c", 'è': "e", 'é': "e",
	'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'ö': "o", 'õ': "o",
	'ø': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ß': "ss", 'æ': "ae", 'œ': "oe"}

// schemaRef is the relative path from a workspace file to the schema of
// kind that `okr init` puts under .okr/schema, "" when it is not there.
func schemaRef(ed *workspaceEdit, rel, kind string) string {
	target := schema.LocalPath(kind)
	if _, err := os.Stat(ed.abs(target)); err != nil {
		return ""
	}
	return schema.RelRef(rel, target)
}
