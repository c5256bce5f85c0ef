// Command okr keeps OKRs as code: it validates, scores and reports on
// objectives, key results and check-ins kept as YAML files in git.
package main

import (
	"os"

	"github.com/okrkit/okr/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
