package generate

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/validate"
)

var specs = map[string]Spec{
	"default":          {},
	"tiny":             {Objectives: 1, KRsPerObjective: 1, CheckinsPerKR: 1, People: 1, Teams: 1},
	"many-krs":         {Objectives: 40, KRsPerObjective: 9, CheckinsPerKR: 3, People: 7, Teams: 3, Seed: 7},
	"year-long":        {Objectives: 30, CheckinsPerKR: 20, Seed: 3},     // weekly check-ins only fit the year
	"crowded":          {Objectives: 12, CheckinsPerKR: 400, Seed: 9},    // more check-ins than days
	"more-teams-alone": {Objectives: 25, People: 3, Teams: 30, Seed: 11}, // teams without members
}

func TestWorkspaceValidates(t *testing.T) {
	for name, s := range specs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := Write(dir, s); err != nil {
				t.Fatal(err)
			}
			res, err := validate.Run(dir, validate.Options{Today: Today, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Diagnostics {
				t.Errorf("%s", d)
			}
			s = s.WithDefaults()
			ws := res.Workspace
			if len(ws.Objectives) != s.Objectives || len(ws.People) != s.People || len(ws.Teams) != s.Teams {
				t.Fatalf("got %d objectives, %d people, %d teams; want %d, %d, %d",
					len(ws.Objectives), len(ws.People), len(ws.Teams), s.Objectives, s.People, s.Teams)
			}
			types, aligned, checkins := map[string]int{}, 0, 0
			for _, o := range ws.Objectives {
				if len(o.KeyResults) != s.KRsPerObjective {
					t.Fatalf("%s: %d key results, want %d", o.ID, len(o.KeyResults), s.KRsPerObjective)
				}
				if len(o.AlignsTo) > 0 {
					aligned++
				}
				for _, kr := range o.KeyResults {
					types[kr.Type]++
					checkins += len(kr.Checkins)
					for _, ci := range kr.Checkins {
						if ci.Note() == "" || ci.Confidence() == nil {
							t.Fatalf("%s: check-in of %s lacks a note or confidence", kr.ID, ci.Date)
						}
					}
				}
			}
			if want := s.Objectives * s.KRsPerObjective * s.CheckinsPerKR; checkins != want {
				t.Errorf("%d check-ins, want %d", checkins, want)
			}
			if total := s.Objectives * s.KRsPerObjective; total >= len(krTypes) {
				for _, typ := range krTypes {
					if types[typ] == 0 {
						t.Errorf("no key result of type %s", typ)
					}
				}
			}
			if s.Objectives > 1 && aligned == 0 {
				t.Error("no objective aligns to another")
			}
		})
	}
}

// TestCheckinsWeekly checks that check-ins of the default spec are a week
// apart.
func TestCheckinsWeekly(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, Spec{Objectives: 50}); err != nil {
		t.Fatal(err)
	}
	res, err := validate.Run(dir, validate.Options{Today: Today, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Workspace.Objectives {
		for _, kr := range o.KeyResults {
			var prev model.Date
			for _, ci := range kr.Checkins {
				if !prev.IsZero() && ci.Date.Time().Sub(prev.Time()).Hours() != 7*24 {
					t.Fatalf("%s: check-ins %s and %s are not a week apart", kr.ID, prev, ci.Date)
				}
				prev = ci.Date
			}
		}
	}
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	s := Spec{Objectives: 120, Seed: 42}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := Write(d, s); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) || len(ta) != 3+s.Objectives {
		t.Fatalf("got %d and %d files, want %d", len(ta), len(tb), 3+s.Objectives)
	}
	for p, data := range ta {
		if !bytes.Equal(data, tb[p]) {
			t.Fatalf("%s differs between two runs", p)
		}
	}
	s.Seed++
	if err := Write(c, s); err != nil {
		t.Fatal(err)
	}
	tc := readTree(t, c)
	same := 0
	for p, data := range ta {
		if bytes.Equal(data, tc[p]) {
			same++
		}
	}
	if same > 3 { // okr.yaml, org.yaml and cycles.yaml do not use the seed
		t.Errorf("%d of %d files are the same with another seed", same, len(ta))
	}
}

// objectiveBytes returns the total size of the objective files in dir.
func objectiveBytes(t *testing.T, dir string) (total int64, files int) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(dir, "objectives"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		total += fi.Size()
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total, files
}

func TestSizeScales(t *testing.T) {
	size := func(s Spec) (perObjective float64) {
		t.Helper()
		dir := t.TempDir()
		if err := Write(dir, s); err != nil {
			t.Fatal(err)
		}
		total, files := objectiveBytes(t, dir)
		if files != s.Objectives {
			t.Fatalf("%+v: %d objective files, want %d", s, files, s.Objectives)
		}
		return float64(total) / float64(files)
	}
	// The benchmark shape: 4 key results of 12 check-ins, about 6.6 KB an
	// objective, so 10,000 objectives are about 66 MB.
	base := size(Spec{Objectives: 300, KRsPerObjective: 4, CheckinsPerKR: 12})
	if base < 6000 || base > 7200 {
		t.Errorf("%.0f bytes per objective with 4 KRs of 12 check-ins; want about 6600", base)
	}
	if big := size(Spec{Objectives: 600, KRsPerObjective: 4, CheckinsPerKR: 12}); big < base*0.95 || big > base*1.05 {
		t.Errorf("twice the objectives: %.0f bytes per objective, want about %.0f", big, base)
	}
	if more := size(Spec{Objectives: 300, KRsPerObjective: 8, CheckinsPerKR: 12}); more < base*1.8 || more > base*2.1 {
		t.Errorf("twice the key results: %.0f bytes per objective, want about %.0f", more, 2*base)
	}
	if fewer := size(Spec{Objectives: 300, KRsPerObjective: 4, CheckinsPerKR: 6}); fewer < base*0.45 || fewer > base*0.65 {
		t.Errorf("half the check-ins: %.0f bytes per objective, want a little over %.0f", fewer, base/2)
	}
}

// TestGenerateForBench writes the benchmark workspace into $OKR_GEN_DIR:
// $OKR_GEN_OBJECTIVES objectives (default 10,000) of 4 key results with 12
// check-ins each. .ci/bench.sh uses it; without OKR_GEN_DIR it is skipped.
func TestGenerateForBench(t *testing.T) {
	dir := os.Getenv("OKR_GEN_DIR")
	if dir == "" {
		t.Skip("set OKR_GEN_DIR to write the benchmark workspace")
	}
	n := 10000
	if v := os.Getenv("OKR_GEN_OBJECTIVES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("OKR_GEN_OBJECTIVES=%q is not a positive number", v)
		}
	}
	if err := Write(dir, Spec{Objectives: n, KRsPerObjective: 4, CheckinsPerKR: 12}); err != nil {
		t.Fatal(err)
	}
	total, files := objectiveBytes(t, dir)
	t.Logf("wrote %d objective files, %d bytes, into %s", files, total, dir)
}
