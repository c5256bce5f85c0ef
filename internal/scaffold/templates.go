package scaffold

const okrYAML = `#
# okr.yaml marks the root of an okr workspace and holds its settings.
# Only "version" is required; every other setting below shows its default
# or a common choice. docs/format.md describes them all.

# Format version of this workspace.
version: 1

# Display name of the organisation, used in report titles.
name: {{yamlq .O.Name}}

# Units key results may use ("unit: usd"); decimals is what reports show.
units:
  - {id: percent, name: percent, symbol: "%", decimals: 1}
  - {id: count, name: count, decimals: 0}
  - {id: usd, name: US dollars, symbol: $, decimals: 0}
  - {id: days, name: days, symbol: d, decimals: 0}

# Questions every check-in may answer, under "answers:" keyed by id.
checkin_questions:
  - id: progress
    text: What moved the number since the last check-in?
  - id: blockers
    text: What is in the way, and who could help?

# Computed status compares progress with the time elapsed in the cycle:
# on track at >= 90% of the expected progress, at risk at >= 60%.
status_thresholds:
  on_track: 0.9
  at_risk: 0.6

# Check-in confidence scale (default 0 to 1; many teams use 1 to 10).
confidence_scale:
  min: 1
  max: 10
`

const orgYAML = `#
# org.yaml: people and teams. Owners, authors and mentions name these ids.
# "git" lists the commit emails or names that are this person, so history
# commands know who changed what. "handle" is the git host handle, used
# for CODEOWNERS.

teams:
  - id: core
    name: Core team
    lead: {{.O.PersonID}}

people:
  - id: {{.O.PersonID}}
    name: {{yamlq .O.PersonName}}
{{- if .O.Email}}
    email: {{yamlq .O.Email}}
    git: [{{yamlq .O.Email}}]
{{- end}}
    team: core
`

const cyclesYAML = `#
# cycles.yaml: planning periods. Every objective names one. "end" is
# inclusive; "cadence" is how often key results should get a check-in.
# Add the next one with: okr new cycle --id NEXT-ID

cycles:
  - id: {{.Cycle}}
    name: {{.CycleName}}
    start: {{.Start}}
    end: {{.End}}
    cadence: weekly
`

const objectiveYAML = `#
# An example objective: one file per objective, key results inline.
# Edit it into a real one or delete it; create more with
#   okr new objective --title "..." and okr new kr --objective ID ...
# and record progress with
#   okr checkin ship-first-release --value true

id: example-objective
title: Get the team's goals into git
cycle: {{.Cycle}}
level: team
owner: core
key_results:
  - id: ship-first-release
    title: Every team's objectives reviewed in pull requests
    type: milestone
    owner: {{.O.PersonID}}
  - id: weekly-checkins
    title: Key results with a check-in in the last week
    type: increase
    start: 0
    target: 100
    unit: percent
    owner: {{.O.PersonID}}
`

// githubWorkflow is the workflow docs/ci.md and docs/getting-started.md
// show (cmd/okr/docs_examples_test.go compares them).
const githubWorkflow = `# Validates the OKR workspace on every push and pull request, annotates
# each finding at its file and line, and comments the OKR changes (okr diff)
# on pull requests.
name: okr
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
  pull-requests: write
jobs:
  okr:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # history commands need the whole history
      - uses: okrkit/okr@v1
        with:
          workspace: {{.WS}}
          fail-on: error
          comment: true
`

// gitlabCI is the pipeline docs/ci.md shows (cmd/okr/docs_examples_test.go
// compares them); .C is " -C WORKSPACE" when the workspace is not at the
// repository root.
const gitlabCI = `# Validates the OKR workspace on every pipeline: findings in the merge
# request's code-quality widget and the JUnit test report. On merge
# requests, okr-diff keeps the OKR changes (okr diff) as an artifact and
# fails when a goalpost moved.
okr:
  image: golang:1.26
  variables:
    GIT_DEPTH: 0 # history commands need the whole history
  before_script:
    - go install github.com/okrkit/okr/cmd/okr@latest
  script:
    - okr validate{{.C}} --format codeclimate --output gl-code-quality-report.json || true
    - okr validate{{.C}} --format junit --output okr-junit.xml
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
      junit: okr-junit.xml

okr-diff:
  image: golang:1.26
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    GIT_DEPTH: 0
  before_script:
    - go install github.com/okrkit/okr/cmd/okr@latest
  script:
    - git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - base=$(git merge-base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" HEAD)
    - okr diff{{.C}} "$base" HEAD --format markdown --output okr-diff.md --fail-on goalpost
  artifacts:
    when: always
    expose_as: OKR changes
    paths: [okr-diff.md]
`
