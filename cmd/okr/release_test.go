package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/cli"
	"go.yaml.in/yaml/v3"
)

// releaseConfig is the part of .goreleaser.yaml the tests read.
type releaseConfig struct {
	Version int `yaml:"version"`
	Builds  []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		GOOS    []string `yaml:"goos"`
		GOARCH  []string `yaml:"goarch"`
		Flags   []string `yaml:"flags"`
		LDFlags []string `yaml:"ldflags"`
		Ignore  []any    `yaml:"ignore"`
	} `yaml:"builds"`
	Archives []struct {
		NameTemplate    string   `yaml:"name_template"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			GOOS    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	Release struct {
		GitHub struct {
			Owner string `yaml:"owner"`
			Name  string `yaml:"name"`
		} `yaml:"github"`
	} `yaml:"release"`
}

func readReleaseConfig(t *testing.T) releaseConfig {
	t.Helper()
	data, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c releaseConfig
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&c); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if c.Version != 2 || len(c.Builds) != 1 || len(c.Archives) != 1 {
		t.Fatalf(".goreleaser.yaml: version %d, %d builds, %d archives; want version 2, one of each", c.Version, len(c.Builds), len(c.Archives))
	}
	return c
}

// versionFlag is the -X flag that stamps cli.Version, with the package
// path taken from the code so a moved package fails here.
func versionFlag() string {
	return "-X " + reflect.TypeOf(cli.Env{}).PkgPath() + ".Version={{.Version}}"
}

// TestReleaseConfig checks .goreleaser.yaml without goreleaser: six
// targets, the version stamp, static binaries, archives named the way the
// GitHub Action downloads them, and checksums.
func TestReleaseConfig(t *testing.T) {
	c := readReleaseConfig(t)
	b := c.Builds[0]
	var targets []string
	for _, os := range b.GOOS {
		for _, arch := range b.GOARCH {
			targets = append(targets, os+"/"+arch)
		}
	}
	slices.Sort(targets)
	want := []string{"darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64", "windows/amd64", "windows/arm64"}
	if !slices.Equal(targets, want) || len(b.Ignore) != 0 {
		t.Errorf("targets %v (ignore %v), want %v", targets, b.Ignore, want)
	}
	if b.Main != "./cmd/okr" || b.Binary != "okr" {
		t.Errorf("build main %q binary %q, want ./cmd/okr and okr", b.Main, b.Binary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("build env %v lacks CGO_ENABLED=0 (static binaries)", b.Env)
	}
	if ld := strings.Join(b.LDFlags, " "); !strings.Contains(ld, versionFlag()) {
		t.Errorf("ldflags %q do not stamp the version (%s)", ld, versionFlag())
	}
	a := c.Archives[0]
	if a.NameTemplate != "okr_{{ .Version }}_{{ .Os }}_{{ .Arch }}" || !slices.Equal(a.Formats, []string{"tar.gz"}) ||
		len(a.FormatOverrides) != 1 || a.FormatOverrides[0].GOOS != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archives %+v: want okr_VERSION_OS_ARCH, tar.gz and zip on windows", a)
	}
	action, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(action), `archive="okr_${v}_${os}_${arch}.${ext}"`) || !strings.Contains(string(action), `/checksums.txt"`) {
		t.Error("action.yml does not download the archive and checksum names .goreleaser.yaml writes")
	}
	// The action's default download location is where goreleaser
	// publishes (OKR_RELEASE_BASE_URL replaces it; TestActionInstall).
	gh := c.Release.GitHub
	if base := "${OKR_RELEASE_BASE_URL:-https://github.com/" + gh.Owner + "/" + gh.Name + "/releases/download}"; gh.Owner == "" || !strings.Contains(string(action), base) {
		t.Errorf("action.yml does not default to the releases of %s/%s (%s)", gh.Owner, gh.Name, base)
	}
	for _, glob := range a.Files {
		if m, _ := filepath.Glob(filepath.Join("../..", glob)); len(m) == 0 {
			t.Errorf("archive file pattern %q matches nothing", glob)
		}
	}
	if c.Checksum.NameTemplate != "checksums.txt" || c.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v, want checksums.txt with sha256", c.Checksum)
	}
}

// TestReleaseBuilds cross-compiles okr for every target of .goreleaser.yaml
// with its flags, env and ldflags, and runs the host's binary to check the
// stamped version. It takes minutes, so it runs only with
// OKR_RELEASE_CHECK=1 (.ci/release-check.sh).
func TestReleaseBuilds(t *testing.T) {
	if os.Getenv("OKR_RELEASE_CHECK") != "1" {
		t.Skip("set OKR_RELEASE_CHECK=1 to cross-compile the release targets (.ci/release-check.sh)")
	}
	c := readReleaseConfig(t)
	b := c.Builds[0]
	const version = "0.0.0-release-check"
	ldflags := strings.NewReplacer("{{.Version}}", version, "{{.FullCommit}}", "0123456789abcdef0123456789abcdef01234567",
		"{{.CommitDate}}", "2026-12-04T10:00:00Z").Replace(strings.Join(b.LDFlags, " "))
	out := t.TempDir()
	for _, goos := range b.GOOS {
		for _, goarch := range b.GOARCH {
			bin := filepath.Join(out, goos+"-"+goarch, b.Binary)
			if goos == "windows" {
				bin += ".exe"
			}
			args := append(append([]string{"build"}, b.Flags...), "-ldflags", ldflags, "-o", bin, b.Main)
			cmd := exec.Command("go", args...)
			cmd.Dir = "../.."
			cmd.Env = append(append(os.Environ(), b.Env...), "GOOS="+goos, "GOARCH="+goarch)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("GOOS=%s GOARCH=%s go %s: %v\n%s", goos, goarch, strings.Join(args, " "), err, msg)
			}
			t.Logf("built %s/%s", goos, goarch)
			if goos == runtime.GOOS && goarch == runtime.GOARCH {
				got, err := exec.Command(bin, "version").Output()
				if err != nil || string(got) != "okr "+version+"\n" {
					t.Errorf("%s version = %q, %v; want okr %s", bin, got, err, version)
				}
			}
		}
	}
}
