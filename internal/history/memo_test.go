package history

import "testing"

// TestMemoBound checks that a bounded memo never holds more than max
// entries, and always keeps the last max/2 put or used.
func TestMemoBound(t *testing.T) {
	m := newMemo[int, int](8)
	for i := range 100 {
		m.put(i, i*i)
		if n := len(m.cur) + len(m.old); n > 8 {
			t.Fatalf("after %d puts: %d entries, want at most 8", i+1, n)
		}
		for j := max(0, i-3); j <= i; j++ {
			if v, ok := m.get(j); !ok || v != j*j {
				t.Fatalf("after putting %d: get(%d) = %d, %v; want %d, true", i, j, v, ok, j*j)
			}
		}
	}
	// A value used keeps its place: 0 is read after every put.
	m = newMemo[int, int](4)
	m.put(0, 0)
	for i := 1; i < 50; i++ {
		m.put(i, i)
		if _, ok := m.get(0); !ok {
			t.Fatalf("0 forgotten after %d puts though read after each", i)
		}
	}
	// Unbounded.
	m = newMemo[int, int](0)
	for i := range 1000 {
		m.put(i, i)
	}
	if _, ok := m.get(0); !ok || len(m.cur) != 1000 {
		t.Errorf("unbounded memo lost entries: %d held", len(m.cur))
	}
}
