package history

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// gitBackend reads a repository through the git command: `git cat-file
// --batch` processes (kept running, one per reading goroutine, pooled) for
// objects, and one-shot commands for revisions and references. So it reads
// whatever git reads: partial clones (fetching on demand), alternates,
// replace refs and grafts, every pack and index version.
type gitBackend struct {
	gitDir  string // absolute
	workDir string // where commands run
	env     []string
	// shallowPath is the repository's shallow file (absent unless shallow).
	shallowPath string
	// size is the length of the repository's object names in bytes: 20
	// (SHA-1) or 32 (SHA-256).
	size int
	// promisor names the promisor remote of a partial clone, "" otherwise
	// (promisorRemote reads it once, when first needed).
	promisor     string
	promisorOnce sync.Once
	// replaced maps an object replaced by `git replace` (or a graft made
	// with it) to its replacement, whose content git returns for it. It is
	// read once, when an object's content first differs from its name
	// (replacements): most repositories have none, and okr starts no git
	// process to learn that. replaceBase is where the refs are ("" when
	// GIT_NO_REPLACE_OBJECTS turns them off).
	replaceBase string
	replaceOnce sync.Once
	replaced    map[Hash]Hash
	replacedErr error

	mu     sync.Mutex
	idle   []*catFile
	all    []*catFile
	closed bool
	// running counts cat-file processes not yet reaped (tests).
	running sync.WaitGroup
}

// gitEnv is the environment git runs with: the caller's, minus the
// variables that would point git at another repository or work tree, with
// no pager, no prompt and C-locale messages. GIT_FLUSH is okr's to set
// (stream): unset, git flushes its output into a pipe after every record,
// so a reader that stops early has its answer at once.
func gitEnv(gitDir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if v == "" && strings.HasPrefix(k, "GIT_") && (strings.HasSuffix(k, "_NAME") || strings.HasSuffix(k, "_EMAIL") || strings.HasSuffix(k, "_DATE")) {
			continue // set but empty: unset, as okr has always read it
		}
		switch k {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
			"GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM",
			"LC_ALL", "LANG", "LANGUAGE", "GIT_PAGER", "PAGER", "GIT_TERMINAL_PROMPT", "GIT_FLUSH":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "LC_ALL=C", "GIT_PAGER=cat", "PAGER=cat", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	if gitDir != "" {
		env = append(env, "GIT_DIR="+gitDir)
	}
	return env
}

// runGit runs git with args in dir and returns its standard output with
// the final newline removed. A failure carries git's message.
func runGit(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-c", "core.quotepath=off"}, args...)...)
	cmd.Dir, cmd.Env = dir, env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return strings.TrimSuffix(out.String(), "\n"), &gitError{args: args, msg: msg, err: err}
	}
	return strings.TrimSuffix(out.String(), "\n"), nil
}

// gitError is a git command that failed.
type gitError struct {
	args []string
	msg  string
	err  error
}

func (e *gitError) Error() string { return fmt.Sprintf("git %s: %s", e.args[0], e.msg) }
func (e *gitError) Unwrap() error { return e.err }

// exitCode is git's exit status, -1 when it did not exit normally.
func (e *gitError) exitCode() int {
	var x *exec.ExitError
	if errors.As(e.err, &x) {
		return x.ExitCode()
	}
	return -1
}

// openGit finds the repository holding dir with `git rev-parse`. It
// returns the work tree root ("" for a bare repository).
func openGit(dir string) (*gitBackend, string, error) {
	env := gitEnv("")
	// The work tree is asked for in the same process: `--show-toplevel`
	// fails only outside a work tree (a bare repository, or inside .git),
	// where the question is asked again without it.
	args := []string{"rev-parse", "--is-bare-repository", "--absolute-git-dir", "--show-object-format", "--git-path", "shallow"}
	out, err := runGit(context.Background(), dir, env, append(args, "--show-toplevel")...)
	if ge := (*gitError)(nil); errors.As(err, &ge) && strings.Contains(ge.msg, "must be run in a work tree") {
		out, err = runGit(context.Background(), dir, env, args...)
	}
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && strings.Contains(ge.msg, "not a git repository") {
			return nil, "", fmt.Errorf("%w: no .git in %s or any parent folder", ErrNotRepository, dir)
		}
		return nil, "", fmt.Errorf("open repository: %w", err)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 4 {
		return nil, "", fmt.Errorf("open repository: unexpected output of git rev-parse: %q", out)
	}
	bare, gitDir, format, shallowPath := lines[0] == "true", lines[1], lines[2], lines[3]
	var size int
	switch format {
	case "sha1":
		size = sha1Len
	case "sha256":
		size = sha256Len
	default:
		return nil, "", &HintError{Err: fmt.Errorf("%w: the repository uses %s object names, which okr cannot read", ErrUnsupported, format),
			HintMsg: "okr reads SHA-1 and SHA-256 repositories; a newer okr may read this one"}
	}
	if !filepath.IsAbs(shallowPath) {
		shallowPath = filepath.Join(dir, shallowPath)
	}
	b := &gitBackend{gitDir: gitDir, workDir: dir, env: gitEnv(gitDir), shallowPath: shallowPath, size: size}
	var root string
	switch {
	case len(lines) >= 5:
		root = lines[4]
	case !bare:
		// Inside .git of a repository with a work tree: git says
		// where the work tree is not (as before), an error.
		if root, err = runGit(context.Background(), dir, env, "rev-parse", "--show-toplevel"); err != nil {
			return nil, "", fmt.Errorf("open repository: %w", err)
		}
	}
	if root != "" {
		b.workDir = root
		b.env = append(b.env, "GIT_WORK_TREE="+root)
	}
	if os.Getenv("GIT_NO_REPLACE_OBJECTS") == "" {
		b.replaceBase = os.Getenv("GIT_REPLACE_REF_BASE")
		if b.replaceBase == "" {
			b.replaceBase = "refs/replace/"
		}
	}
	return b, root, nil
}

// replacements returns the objects replaced with `git replace`, each
// with its replacement; git reads the refs once.
func (b *gitBackend) replacements() (map[Hash]Hash, error) {
	b.replaceOnce.Do(func() {
		if b.replaceBase == "" {
			return
		}
		refs, err := b.git("for-each-ref", "--format=%(refname) %(objectname)", b.replaceBase)
		if err != nil {
			b.replacedErr = fmt.Errorf("list the replaced objects: %w", err)
			return
		}
		for _, l := range strings.Split(refs, "\n") {
			ref, obj, _ := strings.Cut(l, " ")
			orig := strings.TrimPrefix(ref, strings.TrimSuffix(b.replaceBase, "/")+"/")
			if isHash(orig) && isHash(obj) {
				if b.replaced == nil {
					b.replaced = map[Hash]Hash{}
				}
				b.replaced[mustHash(orig)] = mustHash(obj)
			}
		}
	})
	return b.replaced, b.replacedErr
}

// promisorRemote names the promisor remote of a partial clone, "" for
// any other repository. It is asked for only to explain an object git
// could not give: extensions.partialClone names the remote; without it,
// the first remote.NAME.promisor set to true.
func (b *gitBackend) promisorRemote() string {
	b.promisorOnce.Do(func() {
		// Exit 1 (nothing set) is no error here.
		settings, _ := b.git("config", "--get-regexp", `^(extensions\.partialclone|remote\..*\.promisor)$`)
		var remote string
		for _, l := range strings.Split(settings, "\n") {
			k, v, _ := strings.Cut(l, " ")
			switch {
			case k == "extensions.partialclone" && v != "":
				b.promisor = v
			case remote == "" && strings.HasPrefix(k, "remote.") && strings.HasSuffix(k, ".promisor") && v == "true":
				remote = strings.TrimSuffix(strings.TrimPrefix(k, "remote."), ".promisor")
			}
		}
		if b.promisor == "" {
			b.promisor = remote
		}
	})
	return b.promisor
}

func (b *gitBackend) hashSize() int { return b.size }

// tree splits a tree object git cat-file handed over into its entries,
// with the repository's name length (go-git's decoder reads 20-byte names
// only).
// tree decodes a tree object git handed over. A SHA-1 tree goes to
// go-git's decoder; a SHA-256 tree (32-byte names, which go-git v5 cannot
// read) is split by parseTree, checked against go-git's decoder on SHA-1
// trees by TestParseTree and FuzzParseTree.
func (b *gitBackend) tree(h Hash, data []byte) ([]treeEntry, error) {
	if h.size() == 20 {
		return decodeTreeGoGit(h, data)
	}
	return parseTree(h, data)
}

func (b *gitBackend) git(args ...string) (string, error) {
	return runGit(context.Background(), b.workDir, b.env, args...)
}

// revParse returns the commit rev names, ok false when it names none.
func (b *gitBackend) revParse(rev string) (Hash, bool, error) {
	out, err := b.git("rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && ge.exitCode() == 1 {
			return Hash{}, false, nil
		}
		return Hash{}, false, err
	}
	if !isHash(out) {
		return Hash{}, false, fmt.Errorf("git rev-parse %s: unexpected output %q", rev, out)
	}
	return mustHash(out), true, nil
}

func (b *gitBackend) head() (Hash, error) {
	h, ok, err := b.revParse("HEAD")
	if err != nil {
		return h, fmt.Errorf("read HEAD: %w", err)
	}
	if !ok {
		return h, ErrNoCommits
	}
	return h, nil
}

func (b *gitBackend) resolve(rev string) (Hash, error) {
	if strings.HasPrefix(rev, "-") {
		return Hash{}, fmt.Errorf("unknown revision %q", rev)
	}
	h, ok, err := b.revParse(rev)
	if err != nil {
		return h, err
	}
	if !ok {
		return h, fmt.Errorf("unknown revision %q: %w", rev, plumbing.ErrReferenceNotFound)
	}
	return h, nil
}

func (b *gitBackend) branch() string {
	out, err := b.git("symbolic-ref", "--quiet", "--short", "HEAD")
	if err != nil {
		return ""
	}
	if _, ok, _ := b.revParse("HEAD"); !ok {
		return "" // no commits yet
	}
	return out
}

func (b *gitBackend) defaultBranch() string {
	if out, err := b.git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"); err == nil {
		return strings.TrimPrefix(out, "refs/remotes/")
	}
	names := []string{"refs/heads/main", "refs/heads/master", "refs/remotes/origin/main", "refs/remotes/origin/master"}
	out, err := b.git(append([]string{"for-each-ref", "--format=%(refname)"}, names...)...)
	if err != nil {
		return ""
	}
	have := map[string]bool{}
	for _, l := range strings.Split(out, "\n") {
		have[l] = true
	}
	for _, n := range names {
		if have[n] {
			return strings.TrimPrefix(strings.TrimPrefix(n, "refs/heads/"), "refs/remotes/")
		}
	}
	return ""
}

func (b *gitBackend) mergeBase(x, y Hash) ([]Hash, error) {
	out, err := b.git("merge-base", x.String(), y.String())
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && ge.exitCode() == 1 && out == "" {
			return nil, nil // no common ancestor
		}
		return nil, err
	}
	var hs []Hash
	for _, l := range strings.Fields(out) {
		hs = append(hs, mustHash(l))
	}
	return hs, nil
}

func (b *gitBackend) shallow() ([]Hash, error) {
	data, err := os.ReadFile(b.shallowPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var hs []Hash
	for _, l := range strings.Fields(string(data)) {
		hs = append(hs, mustHash(l))
	}
	return hs, nil
}

// reader returns an idle cat-file process, or starts one.
func (b *gitBackend) reader() (objectReader, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, errors.New("the repository is closed")
	}
	if n := len(b.idle); n > 0 {
		c := b.idle[n-1]
		b.idle = b.idle[:n-1]
		return c, nil
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir, cmd.Env = b.workDir, b.env
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &catFile{b: b, cmd: cmd, in: bufio.NewWriter(in), stdin: in, out: bufio.NewReaderSize(out, 1<<16)}
	cmd.Stderr = &c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start git cat-file: %w", err)
	}
	b.running.Add(1)
	b.all = append(b.all, c)
	return c, nil
}

// close stops every cat-file process and waits for them to exit.
func (b *gitBackend) close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	all := b.all
	b.all, b.idle = nil, nil
	b.mu.Unlock()
	for _, c := range all {
		c.stop()
	}
	b.running.Wait()
	return nil
}

// catFile is one `git cat-file --batch` process.
type catFile struct {
	b      *gitBackend
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	in     *bufio.Writer
	out    *bufio.Reader
	stderr lockedBuffer
	broken bool
	once   sync.Once
	hasher objectHasher
}

// lockedBuffer is a bytes.Buffer safe for the writer goroutine os/exec
// starts and a reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<16 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.TrimSpace(l.b.String())
}

func (c *catFile) stop() {
	c.once.Do(func() {
		c.stdin.Close()
		if c.cmd.Process != nil {
			c.cmd.Process.Kill()
		}
		c.cmd.Wait()
		c.b.running.Done()
	})
}

// close returns the process to the pool, or stops it when it is broken.
func (c *catFile) close() error {
	b := c.b
	b.mu.Lock()
	if !c.broken && !b.closed {
		b.idle = append(b.idle, c)
		b.mu.Unlock()
		return nil
	}
	b.mu.Unlock()
	c.stop()
	return nil
}

func (c *catFile) fail(err error) error {
	c.broken = true
	if msg := c.stderr.String(); msg != "" {
		err = fmt.Errorf("git cat-file: %s: %w", gitMessage(msg), err)
	} else {
		err = fmt.Errorf("git cat-file: %w", err)
	}
	if p := c.b.promisorRemote(); p != "" {
		return &HintError{Err: err, HintMsg: fmt.Sprintf("the repository is a partial clone and git could not fetch an object from its promisor remote %q; check that the remote is reachable, or fetch what is missing with `git fetch --refetch`", p)}
	}
	return err
}

func (c *catFile) object(t plumbing.ObjectType, h Hash, limit int64) ([]byte, int64, error) {
	if c.broken {
		return nil, 0, c.fail(errors.New("the process failed earlier"))
	}
	c.in.WriteString(h.String())
	c.in.WriteByte('\n')
	if err := c.in.Flush(); err != nil {
		return nil, 0, c.fail(err)
	}
	return c.reply(t, h, limit)
}

// reply reads cat-file's answer about object h.
func (c *catFile) reply(t plumbing.ObjectType, h Hash, limit int64) ([]byte, int64, error) {
	b, err := c.out.ReadSlice('\n')
	if err == nil {
		if size, ok := replyHeader(b, t, h); ok {
			return c.content(t, h, size, limit)
		}
	}
	line := string(b) // any other reply is read as text, for its message
	if err == bufio.ErrBufferFull {
		var rest string
		rest, err = c.out.ReadString('\n')
		line += rest
	}
	if err != nil {
		return nil, 0, c.fail(fmt.Errorf("read %s %s: %w", t, short(h.String()), err))
	}
	f := strings.Fields(line)
	if len(f) == 2 && f[1] == "missing" {
		return nil, 0, c.missing(t, h)
	}
	return c.body(t, h, f, line, limit)
}

// named reads the object of type t that name resolves to: any name git's
// revision syntax reads, such as HEAD^{commit}. found is false when git
// resolves name to no object.
func (c *catFile) named(t plumbing.ObjectType, name string) (h Hash, data []byte, found bool, err error) {
	if c.broken {
		return Hash{}, nil, false, c.fail(errors.New("the process failed earlier"))
	}
	if strings.ContainsAny(name, "\n\r") {
		return Hash{}, nil, false, fmt.Errorf("%q is not an object name", name)
	}
	c.in.WriteString(name)
	c.in.WriteByte('\n')
	if err := c.in.Flush(); err != nil {
		return Hash{}, nil, false, c.fail(err)
	}
	line, err := c.out.ReadString('\n')
	if err != nil {
		return Hash{}, nil, false, c.fail(fmt.Errorf("read %s: %w", name, err))
	}
	if strings.HasSuffix(line, " missing\n") {
		return Hash{}, nil, false, nil
	}
	f := strings.Fields(line)
	if len(f) != 3 || !isHash(f[0]) || len(f[0]) != 2*c.b.size {
		return Hash{}, nil, false, c.fail(fmt.Errorf("read %s: unexpected reply %q", name, strings.TrimSpace(line)))
	}
	h = mustHash(f[0])
	data, _, err = c.body(t, h, f, line, -1)
	return h, data, err == nil, err
}

// body reads the object after cat-file's reply line about h (its fields
// f: name, type, size).
func (c *catFile) body(t plumbing.ObjectType, h Hash, f []string, line string, limit int64) ([]byte, int64, error) {
	if len(f) != 3 || f[0] != h.String() {
		return nil, 0, c.fail(fmt.Errorf("read %s %s: unexpected reply %q", t, short(h.String()), strings.TrimSpace(line)))
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return nil, 0, c.fail(fmt.Errorf("read %s %s: unexpected reply %q", t, short(h.String()), strings.TrimSpace(line)))
	}
	if f[1] != t.String() {
		if _, err := c.out.Discard(int(size) + 1); err != nil {
			return nil, 0, c.fail(err)
		}
		return nil, 0, corruptErr(t, h, "it is a "+f[1])
	}
	return c.content(t, h, size, limit)
}

// replyHeader reads b, cat-file's reply line about h when it is the one
// expected, "<h> <t> <size>\n", and returns the size; ok is false for any
// other line.
func replyHeader(b []byte, t plumbing.ObjectType, h Hash) (size int64, ok bool) {
	var buf [2 * sha256Len]byte
	name := h.appendHex(buf[:0])
	if len(name) == 0 || len(b) < len(name)+2 || !bytes.Equal(b[:len(name)], name) || b[len(name)] != ' ' {
		return 0, false
	}
	typ, num, ok := bytes.Cut(b[len(name)+1:len(b)-1], []byte{' '})
	if !ok || string(typ) != t.String() || len(num) == 0 || len(num) > 18 {
		return 0, false
	}
	for _, d := range num {
		if d < '0' || d > '9' {
			return 0, false
		}
		size = size*10 + int64(d-'0')
	}
	return size, true
}

// content reads the contents of object h, of type t and size bytes, that
// follow cat-file's reply line (data nil when size is over limit, limit
// >= 0), and checks them against h.
func (c *catFile) content(t plumbing.ObjectType, h Hash, size, limit int64) ([]byte, int64, error) {
	if limit >= 0 && size > limit {
		if _, err := io.CopyN(io.Discard, c.out, size+1); err != nil {
			return nil, 0, c.fail(err)
		}
		return nil, size, nil
	}
	var data []byte
	if t == plumbing.BlobObject {
		data = blobBuffer(int(size) + 1)
	} else {
		data = make([]byte, size+1)
	}
	if _, err := io.ReadFull(c.out, data); err != nil {
		return nil, 0, c.fail(fmt.Errorf("read %s %s: %w", t, short(h.String()), err))
	}
	data = data[:size]
	err := c.hasher.verify(t, h, data)
	if err != nil {
		// git gives a replaced object's replacement.
		replaced, rerr := c.b.replacements()
		if rerr != nil {
			return nil, 0, errors.Join(err, rerr)
		}
		if r, ok := replaced[h]; ok {
			err = c.hasher.verify(t, r, data)
		}
	}
	if err != nil {
		return nil, 0, err
	}
	return data, size, nil
}

// missing explains an object git does not have.
func (c *catFile) missing(t plumbing.ObjectType, h Hash) error {
	err := fmt.Errorf("read %s %s: %w", t, short(h.String()), ErrMissingObject)
	msg := c.stderr.String()
	if p := c.b.promisorRemote(); p != "" {
		if msg != "" {
			err = fmt.Errorf("read %s %s: %w (%s)", t, short(h.String()), ErrMissingObject, gitMessage(msg))
		}
		return &HintError{Err: err, HintMsg: fmt.Sprintf("the repository is a partial clone and git could not fetch the object from its promisor remote %q; check that the remote is reachable, or fetch the history with `git fetch --refetch`", p)}
	}
	return &HintError{Err: err, HintMsg: "run `git fsck` to check the repository; a fresh clone usually repairs it"}
}

// gitMessage picks the line of git's standard error that says what went
// wrong: the first fatal or error line, else the last line.
func gitMessage(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "fatal: ") || strings.HasPrefix(l, "error: ") {
			return l
		}
	}
	return lastLine(s)
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// firstParents streams head's first-parent ancestors (head excluded),
// newest first, until yield returns false; a commit of the shallow
// boundary ends the stream with a *ShallowError after it is yielded. The
// commits come from one `git log --first-parent`, which reads and checks
// them; each must be the first parent of the one before it, and a list
// that stops short of a root commit is an error.
func (b *gitBackend) firstParents(ctx context.Context, head *Commit, shallow map[Hash]bool, yield func(*Commit) bool) error {
	want := head.Parents[0]
	var last *Commit
	stopped := false
	err := b.log(ctx, []string{"--first-parent", "--end-of-options", want.String()}, func(c *Commit, _ []rawLine) error {
		if c.Hash != want {
			return corruptErr(plumbing.CommitObject, want, "git log lists "+c.Hash.String()+" as its first parent")
		}
		last = c
		if !yield(c) {
			stopped = true
			return errStopLog
		}
		// git log lists a shallow boundary commit without parents.
		if shallow[c.Hash] {
			return &ShallowError{Commit: c.Hash.String()}
		}
		if len(c.Parents) == 0 {
			return errStopLog
		}
		want = c.Parents[0]
		return nil
	})
	switch {
	case err != nil:
		return err
	case stopped:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case last == nil || len(last.Parents) > 0:
		return corruptErr(plumbing.CommitObject, want, "the first-parent history ends before a root commit")
	}
	return nil
}

func msgOr(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// firstBefore returns the first of head's first-parent ancestors (head
// included) for which match is true, among those whose committer
// timestamp is at or before unix: git skips the later ones itself (`git
// log --first-parent --min-age`, which honours replace refs and grafts).
// nil when none matches in the history git can read (which may end at a
// shallow boundary).
func (b *gitBackend) firstBefore(ctx context.Context, head Hash, unix int64, match func(*Commit) bool) (*Commit, error) {
	var found *Commit
	err := b.log(ctx, []string{"--first-parent", "--min-age=" + strconv.FormatInt(unix, 10), "--end-of-options", head.String()}, func(c *Commit, _ []rawLine) error {
		if match(c) {
			found = c
			return errStopLog
		}
		return nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	return found, nil
}
