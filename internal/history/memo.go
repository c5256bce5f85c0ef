package history

import "sync"

// memo is a map safe for concurrent use that holds at most max entries
// (max 0: no bound). When bounded it keeps two generations of max/2: a
// full generation becomes the old one, and the one before is forgotten;
// a value found in the old generation moves to the new. So the entries
// put or used last are never all dropped at once, as a walk reading ahead
// of its use (Versions' tree readers) needs.
type memo[K comparable, V any] struct {
	mu       sync.Mutex
	cur, old map[K]V
	max      int
}

func newMemo[K comparable, V any](max int) *memo[K, V] {
	return &memo[K, V]{cur: map[K]V{}, max: max}
}

func (c *memo[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	v, ok := c.old[k]
	if ok {
		delete(c.old, k)
		c.add(k, v)
	}
	return v, ok
}

func (c *memo[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.old, k)
	c.add(k, v)
}

// add puts k in the current generation, starting a new one first when it
// is full. c.mu is held.
func (c *memo[K, V]) add(k K, v V) {
	if _, ok := c.cur[k]; !ok && c.max > 0 && len(c.cur) >= max(c.max/2, 1) {
		c.old, c.cur = c.cur, make(map[K]V, len(c.cur))
	}
	c.cur[k] = v
}
