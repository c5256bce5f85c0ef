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

// githubSyncWorkflow is the scheduled okr sync workflow docs/ci.md shows
// (cmd/okr/docs_examples_test.go compares them): on the default branch
// only, it commits the new check-ins to the okr/sync branch and opens or
// updates one pull request with the Markdown body.
const githubSyncWorkflow = `# Runs okr sync on a schedule on the default branch: the key results'
# sources are read, changed values are committed as check-ins to the
# okr/sync branch, and one pull request carries them for review.
name: okr sync
on:
  schedule: [{cron: "0 6 * * 1-5"}]
  workflow_dispatch:
permissions:
  contents: write
  pull-requests: write
jobs:
  sync:
    runs-on: ubuntu-latest
    if: github.ref == format('refs/heads/{0}', github.event.repository.default_branch)
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with: {go-version: stable}
      - run: go install github.com/okrkit/okr/cmd/okr@latest
      - name: sync to a branch
        env:
          GITHUB_TOKEN: ${{"{{"}} secrets.GITHUB_TOKEN }}
          # and each source's token_env, e.g. METRICS_TOKEN: ${{"{{"}} secrets.METRICS_TOKEN }}
          GIT_AUTHOR_NAME: okr-sync
          GIT_AUTHOR_EMAIL: okr-sync@users.noreply.github.com
          GIT_COMMITTER_NAME: okr-sync
          GIT_COMMITTER_EMAIL: okr-sync@users.noreply.github.com
        run: |
          git switch -C okr/sync
          okr sync{{.C}} --commit --format markdown > "$RUNNER_TEMP/body.md" || status=$?
          git push --force origin okr/sync
          gh pr view okr/sync >/dev/null 2>&1 \
            && gh pr edit okr/sync --body-file "$RUNNER_TEMP/body.md" \
            || gh pr create --head okr/sync --title "okr sync" --body-file "$RUNNER_TEMP/body.md"
          exit ${status:-0}
`

// gitlabSyncJob is the scheduled okr sync job docs/ci.md shows, appended
// to the pipeline when okr init is given --sync.
const gitlabSyncJob = `
# okr sync on a pipeline schedule, on the default branch only: changed
# values are committed as check-ins to the okr/sync branch and one merge
# request carries them. GITLAB_TOKEN: a project access token with api and
# write_repository.
okr-sync:
  image: golang:1.26
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  variables:
    GIT_AUTHOR_NAME: okr-sync
    GIT_AUTHOR_EMAIL: okr-sync@$CI_SERVER_HOST
    GIT_COMMITTER_NAME: okr-sync
    GIT_COMMITTER_EMAIL: okr-sync@$CI_SERVER_HOST
  script:
    - go install github.com/okrkit/okr/cmd/okr@latest
    - git switch -C okr/sync
    - okr sync{{.C}} --commit --format markdown > body.md || status=$?
    - git push --force "https://oauth2:${GITLAB_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git" okr/sync
    - >
      curl -sf --header "PRIVATE-TOKEN: $GITLAB_TOKEN"
      --data-urlencode "source_branch=okr/sync" --data-urlencode "target_branch=$CI_DEFAULT_BRANCH"
      --data-urlencode "title=okr sync" --data-urlencode "description@body.md"
      "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests" || true
    - exit ${status:-0}
`
