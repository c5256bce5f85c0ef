// Package scaffold writes the files of a new workspace: commented
// settings, an org file, the current quarter as a cycle, one example
// objective, editor schema lines (with the schemas beside them, so editors
// work offline) and a CI workflow for the repository's host. It returns
// bytes; the caller decides where and how to write them.
package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/okrkit/okr/schema"
)

// Host is where the repository lives, which decides the CI file.
type Host string

// Hosts okr writes CI configuration for.
const (
	GitHub Host = "github"
	GitLab Host = "gitlab"
	NoCI   Host = "none"
)

// Options describe the workspace to create.
type Options struct {
	// Name is the organisation's display name.
	Name string
	// Today decides the current quarter.
	Today time.Time
	// PersonID, PersonName and Email describe the first person (from the
	// user's git identity); empty fields get placeholders.
	PersonID, PersonName, Email string
	// Host picks the CI file; NoCI writes none.
	Host Host
	// Workspace is the workspace folder relative to the repository root
	// ("." when they are the same), for the CI file.
	Workspace string
	// Sync adds the scheduled okr sync job (docs/ci.md): its own workflow
	// on GitHub, a job in the pipeline on GitLab.
	Sync bool
}

// File is one file to write.
type File struct {
	// Path is slash-separated, relative to the workspace folder; CI files
	// are relative to the repository root and have InRepoRoot set.
	Path       string
	Data       []byte
	InRepoRoot bool
}

// Quarter returns the id, name and dates of the quarter holding t.
func Quarter(t time.Time) (id, name, start, end string) {
	q := (int(t.Month())-1)/3 + 1
	s := time.Date(t.Year(), time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
	return fmt.Sprintf("%d-q%d", t.Year(), q), fmt.Sprintf("Q%d %d", q, t.Year()),
		s.Format(time.DateOnly), s.AddDate(0, 3, -1).Format(time.DateOnly)
}

// Files returns the files of a new workspace, in a stable order.
func Files(o Options) ([]File, error) {
	if o.PersonID == "" {
		o.PersonID = "you"
	}
	if o.PersonName == "" {
		o.PersonName = "Your Name"
	}
	if o.Name == "" {
		o.Name = "Our company"
	}
	if o.Workspace == "" {
		o.Workspace = "."
	}
	id, name, start, end := Quarter(o.Today)
	// C is the -C flag the GitLab jobs' okr commands need when the
	// workspace is not at the repository root, quoted for the shell; WS
	// is the workspace as a YAML value for the GitHub workflow.
	c, ws := "", o.Workspace
	if o.Workspace != "." {
		if o.Host != NoCI && o.Host != "" && !ciSafePath(o.Workspace) {
			return nil, fmt.Errorf("%w: %q", ErrCIPath, o.Workspace)
		}
		c = " -C " + shellQuote(o.Workspace)
		if c != " -C "+o.Workspace {
			ws = yamlQuote(o.Workspace)
		}
	}
	data := map[string]any{"O": o, "WS": ws, "Cycle": id, "CycleName": name, "Start": start, "End": end, "C": c}
	var files []File
	for _, t := range []struct{ path, kind, text string }{
		{"okr.yaml", "workspace", okrYAML},
		{"org.yaml", "org", orgYAML},
		{"cycles.yaml", "cycles", cyclesYAML},
		{"objectives/example.yaml", "objective", objectiveYAML},
	} {
		b, err := render(t.text, data)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", t.path, err)
		}
		ref := schema.RelRef(t.path, schema.LocalPath(t.kind))
		b = append([]byte("# yaml-language-server: $schema="+ref+"\n"), b...)
		files = append(files, File{Path: t.path, Data: b})
	}
	for _, kind := range schema.Kinds() {
		b, _ := schema.Get(kind)
		files = append(files, File{Path: schema.LocalPath(kind), Data: b})
	}
	switch o.Host {
	case GitHub:
		b, err := render(githubWorkflow, data)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: ".github/workflows/okr.yml", Data: b, InRepoRoot: true})
		if o.Sync {
			b, err := render(githubSyncWorkflow, data)
			if err != nil {
				return nil, err
			}
			files = append(files, File{Path: ".github/workflows/okr-sync.yml", Data: b, InRepoRoot: true})
		}
	case GitLab:
		text := gitlabCI
		if o.Sync {
			text += gitlabSyncJob
		}
		b, err := render(text, data)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: ".gitlab-ci.yml", Data: b, InRepoRoot: true})
	}
	return files, nil
}

func render(text string, data any) ([]byte, error) {
	t, err := template.New("").Funcs(template.FuncMap{"yamlq": yamlQuote, "join": path.Join}).Parse(text)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = t.Execute(&b, data)
	return b.Bytes(), err
}

// ErrCIPath is returned by Files when the workspace folder's path holds a
// character that cannot be written safely into a CI file's shell commands
// and YAML (quotes, $, backquotes, backslashes, ':' or '#', control
// characters).
var ErrCIPath = errors.New("the workspace path cannot be written into a CI file")

// ciSafePath reports whether p holds only letters, digits, spaces and
// . _ / - + @ , = characters.
func ciSafePath(p string) bool {
	for _, r := range p {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" ._/-+@,=", r) {
			return false
		}
	}
	return true
}

// shellQuote quotes a ciSafePath path for a POSIX shell: as it is without
// spaces, else in single quotes (it holds none).
func shellQuote(p string) string {
	if !strings.Contains(p, " ") {
		return p
	}
	return "'" + p + "'"
}

// yamlQuote writes s as a double-quoted YAML string.
func yamlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

// HostOf guesses the host from a git remote URL: GitLab when it names
// gitlab, else GitHub.
func HostOf(remote string) Host {
	if strings.Contains(strings.ToLower(remote), "gitlab") {
		return GitLab
	}
	return GitHub
}
