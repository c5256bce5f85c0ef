package cli

import (
	"fmt"
	"strings"

	"github.com/okrkit/okr/schema"
	"github.com/spf13/cobra"
)

// SchemaOptions are the inputs of `okr schema`.
type SchemaOptions struct {
	IO   IOStreams
	Kind string
}

// NewCmdSchema builds `okr schema [kind]`. runF replaces the action in tests.
func NewCmdSchema(env Env, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{IO: env.IO}
	return &cobra.Command{
		Use:   "schema [KIND]",
		Short: "Print the JSON Schema of a file kind",
		Long: `Print the JSON Schema (draft 2020-12) of a file kind: ` + strings.Join(schema.Kinds(), ", ") + `.
With no KIND, list the kinds and their schema URLs.`,
		Example: `  okr schema
  okr schema objective > objective.schema.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError{fmt.Errorf("schema takes at most one kind, got %d", len(args))}
			}
			return nil
		},
		ValidArgs: schema.Kinds(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Kind = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runSchema(opts)
		},
	}
}

func runSchema(opts *SchemaOptions) error {
	if opts.Kind == "" {
		for _, k := range schema.Kinds() {
			if _, err := fmt.Fprintf(opts.IO.Out, "%-10s %s\n", k, schema.URL(k)); err != nil {
				return err
			}
		}
		return nil
	}
	b, ok := schema.Get(opts.Kind)
	if !ok {
		return usageError{fmt.Errorf("unknown schema kind %q (kinds: %s)", opts.Kind, strings.Join(schema.Kinds(), ", "))}
	}
	_, err := opts.IO.Out.Write(b)
	return err
}
