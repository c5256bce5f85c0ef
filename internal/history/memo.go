package history

import "sync"

// memo is a map safe for concurrent use that forgets everything when it
// holds max entries (max 0: never). A walk only ever compares a commit
// with the one before it, so a simple bound serves as well as an LRU.
type memo[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]V
	max int
}

func newMemo[K comparable, V any](max int) *memo[K, V] {
	return &memo[K, V]{m: map[K]V{}, max: max}
}

func (c *memo[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *memo[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.max > 0 && len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = v
}
