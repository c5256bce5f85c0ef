package cli

import (
	"context"
	"io"
	"os"
	"time"
)

// IOStreams are the standard streams of one run.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// Env is everything a run takes from its surroundings, so tests can replace it.
type Env struct {
	IO IOStreams
	// Getenv reads an environment variable.
	Getenv func(string) string
	// Getwd returns the current folder.
	Getwd func() (string, error)
	// Now is the clock.
	Now func() time.Time
	// Context stops long history walks; nil means Main's own, which ends
	// on Ctrl-C (SIGINT).
	Context context.Context
	// mem undoes the memory limits a command set for its run (Main sets
	// it).
	mem *memScope
}

// System returns the Env of the real process.
func System() Env {
	return Env{
		IO:     IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr},
		Getenv: os.Getenv,
		Getwd:  os.Getwd,
		Now:    time.Now,
	}
}
