package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/okrkit/okr/internal/inert"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/okrkit/okr/internal/diff"
	"github.com/okrkit/okr/internal/ghcomment"
	"github.com/spf13/cobra"
)

// GitHubCommentOptions are the inputs of `okr github comment`.
type GitHubCommentOptions struct {
	IO       IOStreams
	Env      Env
	BodyFile string
	Marker   string
	Repo     string
	Number   int
	// UpdateOnly edits an existing comment but never creates one.
	UpdateOnly bool
}

// NewCmdGitHub builds the hidden `okr github` command group, the helpers
// the GitHub Action runs. runF replaces the action of `okr github comment`
// in tests.
func NewCmdGitHub(env Env, runF func(*GitHubCommentOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "github",
		Short:   "Helpers for the okr GitHub Action",
		Example: `  okr github comment --body-file diff.md`,
		Hidden:  true,
		Args:    noArgs,
	}
	opts := &GitHubCommentOptions{IO: env.IO, Env: env}
	comment := &cobra.Command{
		Use:   "comment --body-file FILE",
		Short: "Create or update the one okr comment on the current pull request",
		Long: `Make FILE's text the body of this pull request's okr comment: the first
comment that starts with --marker and was written by the token's account
(github-actions[bot] for a workflow's GITHUB_TOKEN) is edited, or a new one
is created, so a workflow that runs on every push keeps a single comment. A
person's comment that happens to start with the marker is left alone.

The repository, the pull request and the API come from the GitHub Actions
environment ($GITHUB_REPOSITORY, the event in $GITHUB_EVENT_PATH,
$GITHUB_API_URL); the token from $GITHUB_TOKEN (or $GH_TOKEN). The workflow
needs 'permissions: pull-requests: write'. Prints the comment's URL.

--update-only edits the comment when there is one but never creates it:
the action uses it when a pull request changes no OKRs, so unrelated pull
requests get no comment, and one whose OKR changes were reverted gets its
comment corrected.`,
		Example: `  okr diff origin/main HEAD --format markdown -o diff.md
  GITHUB_TOKEN=... okr github comment --body-file diff.md`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runGitHubComment(cmd.Context(), opts)
		},
	}
	f := comment.Flags()
	f.StringVar(&opts.BodyFile, "body-file", "", "read the comment body from `FILE` (- for standard input)")
	f.StringVar(&opts.Marker, "marker", diff.Marker, "the body's first line, by which the comment is found again")
	f.StringVar(&opts.Repo, "repo", "", "the repository, `OWNER/NAME` (default $GITHUB_REPOSITORY)")
	f.IntVar(&opts.Number, "pr", 0, "the pull request `NUMBER` (default: from the event in $GITHUB_EVENT_PATH)")
	f.BoolVar(&opts.UpdateOnly, "update-only", false, "edit the comment if there is one, but do not create it")
	cmd.AddCommand(comment)
	return cmd
}

// userAgent is the User-Agent of okr's API requests: okr/VERSION with the
// version's first word ("dev (0123456789ab, ...)" gives okr/dev), or okr/dev
// when the version is empty.
func userAgent(version string) string {
	if f := strings.Fields(version); len(f) > 0 {
		return "okr/" + f[0]
	}
	return "okr/dev"
}

func runGitHubComment(ctx context.Context, opts *GitHubCommentOptions) error {
	body, err := commentBody(opts)
	if err != nil {
		return err
	}
	repo, number, err := pullRequest(opts)
	if err != nil {
		return err
	}
	token := firstNonEmpty(opts.Env.Getenv("GITHUB_TOKEN"), opts.Env.Getenv("GH_TOKEN"))
	if token == "" {
		return withHint(errors.New("no token: $GITHUB_TOKEN and $GH_TOKEN are empty"), "pass the token to the step: env: GITHUB_TOKEN: ${{ github.token }}")
	}
	c := &ghcomment.Client{
		BaseURL:   firstNonEmpty(opts.Env.Getenv("GITHUB_API_URL"), "https://api.github.com"),
		Token:     token,
		HTTP:      &http.Client{Timeout: 30 * time.Second},
		UserAgent: userAgent(Version),
	}
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := c.Upsert(ctx, repo, number, opts.Marker, inert.String(string(body)), !opts.UpdateOnly)
	if err != nil {
		err = fmt.Errorf("comment on %s#%d: %w", repo, number, err)
		if ghcomment.IsForbidden(err) {
			return withHint(err, "the token may not write comments: give the workflow 'permissions: pull-requests: write' (pull requests from forks get a read-only token)")
		}
		return err
	}
	if res.Comment.ID == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "okr: no comment on %s#%d to update (--update-only)\n", repo, number)
		return nil
	}
	verb := "created"
	if res.Updated {
		verb = "updated"
	}
	fmt.Fprintf(opts.IO.ErrOut, "okr: %s the comment on %s#%d\n", verb, repo, number)
	_, err = fmt.Fprintln(opts.IO.Out, res.Comment.HTMLURL)
	return err
}

// commentBody reads --body-file (- for standard input).
func commentBody(opts *GitHubCommentOptions) ([]byte, error) {
	if opts.BodyFile == "" {
		return nil, usageError{errors.New("--body-file is required")}
	}
	var body []byte
	var err error
	if opts.BodyFile == "-" {
		body, err = io.ReadAll(opts.IO.In)
	} else {
		body, err = os.ReadFile(opts.BodyFile)
	}
	if err != nil {
		return nil, fmt.Errorf("read the comment body: %w", err)
	}
	return body, nil
}

// pullRequest is the repository (--repo, or $GITHUB_REPOSITORY) and the
// pull request (--pr, or the one the workflow's event is about).
func pullRequest(opts *GitHubCommentOptions) (repo string, number int, err error) {
	repo = firstNonEmpty(opts.Repo, opts.Env.Getenv("GITHUB_REPOSITORY"))
	if repo == "" {
		return "", 0, usageError{errors.New("no repository: set --repo OWNER/NAME or $GITHUB_REPOSITORY")}
	}
	if opts.Number != 0 {
		return repo, opts.Number, nil
	}
	path := opts.Env.Getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return "", 0, usageError{errors.New("no pull request: set --pr NUMBER or $GITHUB_EVENT_PATH")}
	}
	if number, err = ghcomment.PullRequestNumber(path); err != nil {
		return "", 0, err
	}
	if number == 0 {
		return "", 0, usageError{fmt.Errorf("the %s event is not about a pull request; set --pr NUMBER", firstNonEmpty(opts.Env.Getenv("GITHUB_EVENT_NAME"), "current"))}
	}
	return repo, number, nil
}
