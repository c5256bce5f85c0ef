package history

import (
	"context"
	"sort"

	"github.com/okrkit/okr/internal/model"
)

// touch is a commit that changed the workspace tree, with the workspace
// tree after it.
type touch struct {
	commit *Commit
	ws     Hash
}

// interval returns which interval between checkpoints c's date falls in:
// 0 for (-inf, c0], i for (c(i-1), ci], len(checkpoints) after the last.
func interval(checkpoints []model.Date, c *Commit) int {
	d := c.Date()
	return sort.Search(len(checkpoints), func(i int) bool { return !checkpoints[i].Before(d) })
}

// mergeRuns returns, newest first, the newest touch of each run of
// consecutive touches (held, newest first) whose commits fall in one
// interval between checkpoints: the state a run merges into.
func mergeRuns(held []touch, checkpoints []model.Date) []touch {
	var runs []touch
	last := -1
	for k, t := range held {
		iv := interval(checkpoints, t.commit)
		if k > 0 && iv == last {
			continue // an older touch of the same run
		}
		runs, last = append(runs, t), iv
	}
	return runs
}

// lastTouches returns, newest first, for each run of consecutive
// first-parent commits from head whose dates fall in one interval between
// checkpoints, the last commit of the run that changed the workspace tree
// (none when no commit of the run did). One `git log` without diffs lists
// the commits; the workspace trees are read only backwards from each run's
// newest commit until one differs from its parent's, so a long history
// costs a listing, not a diff per commit.
func (r *Repo) lastTouches(gb *gitBackend, head *Commit, checkpoints []model.Date, stop <-chan struct{}) ([]touch, error) {
	chain, err := r.firstParentList(gb, head, stop)
	if err != nil {
		return nil, err
	}
	wsOf := func(i int) (Hash, error) {
		if i >= len(chain) {
			return Hash{}, nil // before the root commit
		}
		return r.workspaceTree(chain[i])
	}
	var out []touch
	for i := 0; i < len(chain); {
		iv := interval(checkpoints, chain[i])
		end := i + 1
		for end < len(chain) && interval(checkpoints, chain[end]) == iv {
			end++
		}
		for j := i; j < end; j++ {
			select {
			case <-stop:
				return nil, errStopped
			default:
			}
			after, err := wsOf(j)
			if err != nil {
				return nil, err
			}
			before, err := wsOf(j + 1)
			if err != nil {
				return nil, err
			}
			if after != before {
				c := chain[j]
				if old, ok := r.commits.get(c.Hash); ok {
					c = old
				} else {
					r.commits.put(c.Hash, c)
				}
				out = append(out, touch{c, after})
				break
			}
		}
		i = end
	}
	return out, nil
}

// firstParentList returns the first-parent commits from head, newest
// first, from one `git log` without diffs.
func (r *Repo) firstParentList(gb *gitBackend, head *Commit, stop <-chan struct{}) ([]*Commit, error) {
	ctx, cancel := stopContext(r.ctx, stop)
	defer cancel()
	var chain []*Commit
	err := gb.logAll(ctx, []string{"--first-parent", "--end-of-options", head.Hash.String(), "--"}, func(c *Commit, _ []rawLine) error {
		chain = append(chain, c)
		return nil
	})
	return chain, stopped(r.ctx, stop, err)
}

// stopContext returns a context of parent that is also cancelled when stop
// closes.
func stopContext(parent context.Context, stop <-chan struct{}) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// stopped returns the error a walk's git log ended with: errStopped when
// the walk was stopped, the context's error when it was cancelled, else
// err.
func stopped(ctx context.Context, stop <-chan struct{}, err error) error {
	select {
	case <-stop:
		return errStopped
	default:
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}
