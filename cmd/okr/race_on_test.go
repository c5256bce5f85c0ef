//go:build race

package main

// raceEnabled: the test binary, and so the okr it runs as a child, is
// built with the race detector, which takes 5-10 times the memory.
const raceEnabled = true
