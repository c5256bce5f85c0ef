package sheet

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/golden"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
	"github.com/okrkit/okr/internal/render"
	"github.com/okrkit/okr/internal/report"
	"github.com/okrkit/okr/internal/validate"
)

var today = model.Date{Year: 2026, Month: 11, Day: 23}

func loadExamples(t *testing.T) *validate.Result {
	t.Helper()
	res, err := validate.Run("../../examples", validate.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := diag.Counts(res.Diagnostics); errs > 0 {
		t.Fatalf("examples have %d errors", errs)
	}
	return res
}

func exportAll(t *testing.T, ws *model.Workspace, opts Options) (krs, checkins, initiatives []byte) {
	t.Helper()
	var a, b, c bytes.Buffer
	if err := Export(&a, ws, opts); err != nil {
		t.Fatal(err)
	}
	if err := ExportCheckins(&b, ws, opts); err != nil {
		t.Fatal(err)
	}
	if err := ExportInitiatives(&c, ws, opts); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes(), c.Bytes()
}

func TestSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Grow ARR", "Grow ARR"},
		{"=SUM(A1:A3)", "'=SUM(A1:A3)"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@cmd", "'@cmd"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'Tis the season", "'Tis the season"},
		{"'=x", "''=x"},
		{"''-x", "'''-x"},
		{"'", "'"},
		{"a=b", "a=b"},
	} {
		if got := Safe(tc.in); got != tc.want {
			t.Errorf("Safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Unsafe(Safe(tc.in)); got != tc.in {
			t.Errorf("Unsafe(Safe(%q)) = %q", tc.in, got)
		}
	}
	// A cell a person typed without okr's quote is read as written.
	for _, s := range []string{"=x", "'Tis", "-3"} {
		if got := Unsafe(s); got != s {
			t.Errorf("Unsafe(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestExportGolden(t *testing.T) {
	res := loadExamples(t)
	krs, checkins, initiatives := exportAll(t, res.Workspace, Options{})
	golden.Check(t, "testdata/examples-krs.csv", krs)
	golden.Check(t, "testdata/examples-checkins.csv", checkins)
	golden.Check(t, "testdata/examples-initiatives.csv", initiatives)
	q3, _, _ := exportAll(t, res.Workspace, Options{Cycle: "2026-q3"})
	golden.Check(t, "testdata/examples-q3-krs.csv", q3)
}

// TestRoundTripExamples exports the example workspace, imports the sheets
// into an empty workspace with the same okr.yaml, org.yaml and
// cycles.yaml, and checks that every cycle's report is the same in every
// report format, that the findings are the same, and that exporting the
// imported workspace gives the same sheets (so every exported field,
// initiatives included, survived).
func TestRoundTripExamples(t *testing.T) {
	orig := loadExamples(t)
	krs, checkins, initiatives := exportAll(t, orig.Workspace, Options{})
	dir := t.TempDir()
	for _, f := range []string{"okr.yaml", "org.yaml", "cycles.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../examples", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	im, err := Import(ImportOptions{KeyResults: File{"krs.csv", krs}, Checkins: &File{"checkins.csv", checkins},
		Initiatives: &File{"initiatives.csv", initiatives}})
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Problems) > 0 {
		t.Fatalf("problems: %v", im.Problems)
	}
	if len(im.Objectives) != len(orig.Workspace.Objectives) {
		t.Fatalf("imported %d objectives, want %d", len(im.Objectives), len(orig.Workspace.Objectives))
	}
	for rel, data := range im.Files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := validate.Run(dir, validate.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if findings(got.Diagnostics) != findings(orig.Diagnostics) {
		t.Errorf("findings differ:\nimported:\n%s\nexamples:\n%s", findings(got.Diagnostics), findings(orig.Diagnostics))
	}
	for _, c := range orig.Workspace.Cycles {
		for _, format := range []string{"json", "markdown", "csv", "table"} {
			w, err := render.NewWriter(format)
			if err != nil {
				t.Fatal(err)
			}
			var want, have bytes.Buffer
			if err := w.Write(&want, report.Build(orig.Workspace, c, today)); err != nil {
				t.Fatal(err)
			}
			if err := w.Write(&have, report.Build(got.Workspace, got.Workspace.Cycle(c.ID), today)); err != nil {
				t.Fatal(err)
			}
			if want.String() != have.String() {
				t.Errorf("cycle %s, %s report differs after the round trip:\nimported:\n%s\nexamples:\n%s", c.ID, format, have.String(), want.String())
			}
		}
	}
	krs2, checkins2, initiatives2 := exportAll(t, got.Workspace, Options{})
	if !bytes.Equal(krs, krs2) || !bytes.Equal(checkins, checkins2) || !bytes.Equal(initiatives, initiatives2) {
		t.Errorf("exporting the imported workspace gives other sheets")
	}
}

// findings lists diagnostics by file, code and message (lines differ:
// the examples have comments the generated files do not).
func findings(ds []diag.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.File+" "+d.Severity.String()+" "+d.Code+" "+d.Message)
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

const header = "objective,objective_title,cycle,level,objective_owner,contributors,category,tags,objective_weight,rollup,aligns_to,visible_to,hidden_from,objective_description,key_result,key_result_title,type,start,target,threshold,low,high,steps,unit,key_result_owner,key_result_weight,due,score,key_result_description,file\n"

// TestImportGolden shows the YAML Import writes for a sheet that uses
// every column, typed the way a spreadsheet saves it (BOM, CRLF), with a
// milestone of three steps checked in as 3 steps done.
func TestImportGolden(t *testing.T) {
	krs := "\ufeff" + strings.ReplaceAll(header+
		`grow,'=Grow ARR: fast,2026-q4,company,ada,"lin, sam",growth,"sre
api, web",2,both,"win, other:0.5",platform,sam,"Why it matters.
Two lines.
",arr,Grow ARR from $1.2M to $2M,increase,1200000,2000000,,,,,usd,sam,2,2026-12-15,,"Booked ARR, from the CRM.",
grow,,,,,,,,,,,,,,ship,Ship it,milestone,,,,,,"Design
Build
Launch",,,0,,0.5,,
grow,,,,,,,,,,,,,,range-kr,Keep it between 6 and 8,range,,,,6,8,,count,,,,,,
solo,"true",2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,objectives/misc/solo.yml
`, "\n", "\r\n")
	checkins := "kr,date,value,confidence,status,author,note,answer:progress,answer:blockers\r\n" +
		"arr,2026-10-05,1250000,0.6,,sam,Two deals slipped.,Closed Northwind.,\r\n" +
		"ship,2026-11-02,3,,done,,,,\r\n" +
		"arr,2026-11-02,1580000,0.7,on_track,sam,'=cmd,,Legal review.\r\n"
	im, err := Import(ImportOptions{KeyResults: File{"krs.csv", []byte(krs)}, Checkins: &File{"checkins.csv", []byte(checkins)},
		SchemaPath: ".okr/schema/objective.schema.json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Problems) > 0 {
		t.Fatalf("problems: %v", im.Problems)
	}
	want := []Planned{{ID: "grow", File: "objectives/2026-q4/grow.yaml", KeyResults: 3, Checkins: 3},
		{ID: "solo", File: "objectives/misc/solo.yml"}}
	if !slices.Equal(im.Objectives, want) {
		t.Errorf("objectives = %+v, want %+v", im.Objectives, want)
	}
	var all bytes.Buffer
	for _, p := range want {
		all.WriteString("--- " + p.File + "\n")
		all.Write(im.Files[p.File])
	}
	golden.Check(t, "testdata/import.golden", all.Bytes())
}

// TestImportProblems checks the findings Import reports in the sheets
// themselves, each at its row and column.
func TestImportProblems(t *testing.T) {
	ok := "grow,Grow,2026-q4,,,,,,,,,,,,arr,ARR,increase,1,2,,,,,,,,,,,\n"
	ws := &model.Workspace{Objectives: []*model.Objective{
		{Source: model.NewSource("objectives/old.yaml"), ID: "old"},
		{Source: model.NewSource("objectives/2026-q4/taken.yaml"), ID: "taken-by-other",
			KeyResults: []*model.KeyResult{{ID: "churn"}}},
		{Source: model.NewSource("objectives/zz/later.yaml"), ID: "later", KeyResults: []*model.KeyResult{{ID: "nps"}}},
	}}
	for _, tc := range []struct {
		name, krs, checkins string
		update              bool
		want                []string
	}{
		{name: "empty file", krs: "", want: []string{"krs.csv:1:1: error: the file is empty: the first row must name the columns [csv-header]"}},
		{name: "no rows", krs: header, want: []string{"krs.csv:1:1: error: the sheet has no rows below its header [csv-header]"}},
		{name: "unknown column", krs: "objective,colour\ngrow,red\n",
			want: []string{`krs.csv:1:2: error: unknown column "colour" (docs/csv.md lists the columns) [csv-header]`}},
		{name: "repeated column", krs: "objective,objective\n",
			want: []string{`krs.csv:1:2: error: column "objective" appears twice [csv-header]`}},
		{name: "no objective column", krs: "key_result\nx\n",
			want: []string{`krs.csv:1:1: error: the header has no "objective" column [csv-header]`}},
		{name: "not utf-8", krs: "objective\n\xff\n",
			want: []string{`krs.csv:1:1: error: the file is not UTF-8 text (save the sheet as "CSV UTF-8") [csv-syntax]`}},
		{name: "bad quotes", krs: "objective\n\"grow\n",
			want: []string{`krs.csv:2:1: error: malformed CSV: extraneous or missing " in quoted-field (file line 2, column 7) [csv-syntax]`}},
		{name: "unknown type", krs: header + strings.Replace(ok, "increase", "grow", 1),
			want: []string{`krs.csv:2:17: error: unknown key-result type "grow" (want one of increase, decrease, at_least, at_most, range, milestone) [csv-cell]`}},
		{name: "non-number", krs: header + strings.Replace(ok, ",1,2,", ",one,2,", 1),
			want: []string{`krs.csv:2:18: error: start "one" is not a number [csv-cell]`}},
		{name: "not finite", krs: header + strings.Replace(ok, ",1,2,", ",1,NaN,", 1),
			want: []string{`krs.csv:2:19: error: target "NaN" is not a number [csv-cell]`}},
		{name: "bad date", krs: header + "grow,Grow,2026-q4,,,,,,,,,,,,arr,ARR,increase,1,2,,,,,,,,12/15/2026,,,\n",
			want: []string{`krs.csv:2:27: error: due "12/15/2026" is not a date (want YYYY-MM-DD) [csv-cell]`}},
		{name: "bad id", krs: header + "Grow It,Grow,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
			want: []string{`krs.csv:2:1: error: objective "Grow It" is not an id (lower-case letters, digits, '.', '_' and '-') [csv-cell]`}},
		{name: "kr cells without id", krs: header + "grow,Grow,2026-q4,,,,,,,,,,,,,ARR,increase,1,2,,,,,,,,,,,\n",
			want: []string{`krs.csv:2:15: error: the row has key-result cells but no key_result id [csv-cell]`}},
		{name: "bad alignment weight", krs: header + "grow,Grow,2026-q4,,,,,,,,win:half,,,,,,,,,,,,,,,,,,,\n",
			want: []string{`krs.csv:2:11: error: aligns_to: the weight of "win:half" is not a number [csv-cell]`}},
		{name: "rows disagree", krs: header + ok + "grow,Grow more,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
			want: []string{`krs.csv:3:2: error: objective "grow" has objective_title "Grow" on row 2; this row says "Grow more" (leave the cell empty or make them the same) [csv-conflict]`}},
		{name: "file outside objectives", krs: header + "grow,Grow,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,objectives/../../etc/x.yaml\n",
			want: []string{`krs.csv:2:30: error: file "objectives/../../etc/x.yaml" is not a .yaml or .yml file under objectives/ [csv-cell]`}},
		{name: "cell beyond header", krs: "objective,objective_title,cycle\ngrow,Grow,2026-q4,extra\n",
			want: []string{`krs.csv:2:4: error: cell beyond the last column of the header [csv-cell]`}},
		{name: "exists", krs: header + "old,Old,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
			want: []string{`krs.csv:2:1: error: objective "old" is already in the workspace, in objectives/old.yaml (pass --update to replace that file) [csv-exists]`}},
		{name: "update elsewhere", update: true, krs: header + "old,Old,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,objectives/new.yaml\n",
			want: []string{`krs.csv:2:30: error: objective "old" is in objectives/old.yaml, not objectives/new.yaml (move the file with git mv first, or leave the file cell empty) [csv-exists]`}},
		{name: "file taken", krs: header + "taken,Taken,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
			want: []string{`krs.csv:2:1: error: objectives/2026-q4/taken.yaml already holds objective "taken-by-other" [csv-exists]`}},
		// Ids the workspace has elsewhere, reported at the sheet's cell
		// (the validator would report them at whichever file loads later).
		{name: "kr id elsewhere", krs: header + strings.Replace(ok, ",arr,", ",nps,", 1),
			want: []string{`krs.csv:2:15: error: key result "nps" is already in the workspace: a key result of objective "later", in objectives/zz/later.yaml (objectives and key results need ids unique in the workspace) [csv-exists]`}},
		{name: "kr id is an objective", krs: header + strings.Replace(ok, ",arr,", ",later,", 1),
			want: []string{`krs.csv:2:15: error: key result "later" is already in the workspace: objective "later", in objectives/zz/later.yaml (objectives and key results need ids unique in the workspace) [csv-exists]`}},
		{name: "objective id is a kr", krs: header + "churn,Churn,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
			want: []string{`krs.csv:2:1: error: objective "churn": the id is already used by a key result of objective "taken-by-other", in objectives/2026-q4/taken.yaml (objectives and key results need ids unique in the workspace) [csv-exists]`}},
		{name: "kr of a replaced objective", update: true, krs: header + "later,Later,2026-q4,,,,,,,,,,,,nps,NPS,increase,1,2,,,,,,,,,,,\n" + strings.Replace(ok, ",arr,", ",nps2,", 1) +
			"grow,,,,,,,,,,,,,,churn,Churn,increase,1,2,,,,,,,,,,,\n",
			want: []string{`krs.csv:4:15: error: key result "churn" is already in the workspace: a key result of objective "taken-by-other", in objectives/2026-q4/taken.yaml (objectives and key results need ids unique in the workspace) [csv-exists]`}},
		{name: "same file twice", krs: header + "a,A,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,objectives/x.yaml\nb,B,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,objectives/x.yaml\n",
			want: []string{`krs.csv:3:30: error: objectives/x.yaml is also the file of objective "a" (row 2) [csv-exists]`}},
		{name: "checkin unknown kr", krs: header + ok, checkins: "kr,date,value\nnope,2026-10-01,1\n",
			want: []string{`checkins.csv:2:1: error: kr "nope" is not a key result in krs.csv [csv-cell]`}},
		{name: "checkin bad value", krs: header + ok, checkins: "kr,date,value,confidence\narr,2026-10-01,lots,high\n",
			want: []string{`checkins.csv:2:3: error: value "lots" is not a number, and key result arr (increase) takes one: plain decimals like 120, -3 or 0.75 [csv-cell]`,
				`checkins.csv:2:4: error: confidence "high" is not a number: plain decimals like 7 or 0.8 [csv-cell]`}},
		{name: "checkin bad date", krs: header + ok, checkins: "kr,date,value\narr,2026-02-30,1\n",
			want: []string{`checkins.csv:2:2: error: date "2026-02-30" is not a date (want YYYY-MM-DD) [csv-cell]`}},
		{name: "checkin missing column", krs: header + ok, checkins: "kr,value\narr,1\n",
			want: []string{`checkins.csv:1:1: error: the header has no "date" column [csv-header]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := ImportOptions{KeyResults: File{"krs.csv", []byte(tc.krs)}, Workspace: ws, Update: tc.update}
			if tc.checkins != "" {
				opts.Checkins = &File{"checkins.csv", []byte(tc.checkins)}
			}
			im, err := Import(opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range im.Problems {
				got = append(got, d.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if im.Files != nil {
				t.Errorf("files generated despite problems")
			}
		})
	}
}

// TestImportSemicolons reads a sheet saved where the decimal mark is a
// comma, with semicolons between fields.
func TestImportSemicolons(t *testing.T) {
	krs := "objective;objective_title;cycle;key_result;key_result_title;type;start;target\r\ngrow;Grow, fast;2026-q4;arr;ARR;increase;1;2\r\n"
	im, err := Import(ImportOptions{KeyResults: File{"krs.csv", []byte(krs)}})
	if err != nil || len(im.Problems) > 0 {
		t.Fatal(err, im.Problems)
	}
	got := string(im.Files["objectives/2026-q4/grow.yaml"])
	if !strings.Contains(got, "title: Grow, fast\n") || !strings.Contains(got, "target: 2\n") {
		t.Errorf("got:\n%s", got)
	}
}

// TestImportUpdate replaces an objective in place under Update.
func TestImportUpdate(t *testing.T) {
	ws := &model.Workspace{Objectives: []*model.Objective{{Source: model.NewSource("objectives/team/old.yaml"), ID: "old"}}}
	im, err := Import(ImportOptions{KeyResults: File{"krs.csv", []byte(header + "old,Old,2026-q4,,,,,,,,,,,,,,,,,,,,,,,,,,,\n")},
		Workspace: ws, Update: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []Planned{{ID: "old", File: "objectives/team/old.yaml", Replaces: true}}
	if len(im.Problems) > 0 || !slices.Equal(im.Objectives, want) {
		t.Errorf("got %+v %v, want %+v", im.Objectives, im.Problems, want)
	}
}

// TestImportUpdateKeeps checks that a replaced file keeps what the sheets
// given do not carry: check-ins without a check-in sheet, initiatives
// without an initiative sheet, and fields no sheet has.
func TestImportUpdateKeeps(t *testing.T) {
	old := `id: old
title: Old
cycle: 2026-q3
carried_to: new
key_results:
  - id: signups
    title: Sign-ups
    type: increase
    start: 0
    target: 100
    carried_to: new-signups
    checkins:
      - {date: 2026-10-01, value: 5}
initiatives:
  - title: Launch week
`
	ws := &model.Workspace{Objectives: []*model.Objective{{Source: model.NewSource("objectives/old.yaml"), ID: "old"}}}
	read := func(rel string) ([]byte, error) {
		if rel != "objectives/old.yaml" {
			t.Errorf("read %s", rel)
		}
		return []byte(old), nil
	}
	rows := header + "old,Older,2026-q4,,,,,,,,,,,,signups,Sign-ups,increase,0,200,,,,,,,,,,,\n"
	im, err := Import(ImportOptions{KeyResults: File{"krs.csv", []byte(rows)}, Workspace: ws, Update: true, Read: read})
	if err != nil || len(im.Problems) > 0 {
		t.Fatal(err, im.Problems)
	}
	golden.Check(t, "testdata/update-keeps.golden", im.Files["objectives/old.yaml"])
	// With the other sheets given, what they say replaces the old.
	im, err = Import(ImportOptions{KeyResults: File{"krs.csv", []byte(rows)}, Workspace: ws, Update: true, Read: read,
		Checkins: &File{"c.csv", []byte("kr,date,value\n")}, Initiatives: &File{"i.csv", []byte("objective,title\n")}})
	if err != nil || len(im.Problems) > 0 {
		t.Fatal(err, im.Problems)
	}
	got := string(im.Files["objectives/old.yaml"])
	if strings.Contains(got, "checkins:") || strings.Contains(got, "initiatives:") || !strings.Contains(got, "carried_to: new") {
		t.Errorf("with every sheet given:\n%s", got)
	}
}

// TestLocate checks that the validator's findings on generated files point
// at the sheet cells the values came from.
func TestLocate(t *testing.T) {
	krs := header + "grow,Grow,2026-q9,,nobody,,,,,,,,,,arr,ARR,increase,1,2,,,,,furlongs,,,,,,\n"
	checkins := "kr,date,value,status\narr,2026-10-01,1,fine\n"
	im, err := Import(ImportOptions{KeyResults: File{"krs.csv", []byte(krs)}, Checkins: &File{"checkins.csv", []byte(checkins)}})
	if err != nil || len(im.Problems) > 0 {
		t.Fatal(err, im.Problems)
	}
	res, err := validate.Run("../../examples", validate.Options{Today: today, Overlay: im.Files})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		if strings.HasPrefix(d.File, "objectives/2026-q9/") && d.Severity == diag.Error {
			got = append(got, im.Locate(d).String())
		}
	}
	slices.Sort(got)
	want := []string{
		`checkins.csv:2:4: error: key_results[0].checkins[0].status: must be one of 'on_track', 'at_risk', 'off_track', 'done' [schema]`,
		`krs.csv:2:24: error: unit "furlongs" is not defined in okr.yaml units [unknown-unit]`,
		`krs.csv:2:3: error: objective "grow" is in cycle "2026-q9", which cycles.yaml does not define [unknown-cycle]`,
		`krs.csv:2:5: error: owner "nobody" is not a person or team in org.yaml [unknown-owner]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("located:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	other := diag.Diagnostic{File: "org.yaml", Line: 3, Col: 4}
	if im.Locate(other) != other {
		t.Errorf("Locate changed a finding on another file")
	}
}

// FuzzImport feeds arbitrary sheets to Import: it must never panic, every
// file it generates must load without a syntax finding, and exporting what
// it generated and importing that again must give the same files.
func FuzzImport(f *testing.F) {
	f.Add([]byte(header+"grow,Grow,2026-q4,,,,,,,,,,,,arr,ARR,increase,1,2,,,,,,,,,,,\n"), []byte("kr,date,value\narr,2026-10-01,1.5\n"))
	f.Add([]byte("\ufeffobjective,objective_title,tags,aligns_to\r\na,\"'=x\",\"p\r\nq\",b:0.5\r\n"), []byte("kr,date,value,answer:q\r\n"))
	f.Add([]byte(header+"a,\"x\ny\",c,team,o,\"p, q\",c,t,1,krs,b,v,h,d,k,K,milestone,,,,,,\"s1\ns2\",u,o,0,2026-10-01,0.5,kd,objectives/a.yaml\n"),
		[]byte("kr,date,value,confidence,status,author,note\nk,2026-10-01,true,0.5,done,o,'+n\n--\nobjective,id,title,link,status,owner,key_result,due\na,i1,\"Do\nit\",https://x.example,done,o,k,2026-10-02\n"))
	f.Fuzz(func(t *testing.T, krs, checkins []byte) {
		initiatives := []byte("objective,id,title,link,status,owner,key_result,due\n")
		if i := bytes.Index(checkins, []byte("\n--\n")); i >= 0 {
			checkins, initiatives = checkins[:i+1], checkins[i+4:]
		}
		im, err := Import(ImportOptions{KeyResults: File{"krs.csv", krs}, Checkins: &File{"checkins.csv", checkins},
			Initiatives: &File{"initiatives.csv", initiatives}})
		if err != nil {
			t.Fatal(err)
		}
		if len(im.Problems) > 0 {
			return
		}
		ws, files := decode(t, im.Files)
		var a, b, c bytes.Buffer
		if err := Export(&a, ws, Options{}); err != nil {
			return // a text list item with a line break of its own
		}
		if err := ExportCheckins(&b, ws, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := ExportInitiatives(&c, ws, Options{}); err != nil {
			t.Fatal(err)
		}
		again, err := Import(ImportOptions{KeyResults: File{"krs.csv", a.Bytes()}, Checkins: &File{"checkins.csv", b.Bytes()},
			Initiatives: &File{"initiatives.csv", c.Bytes()}})
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Problems) > 0 {
			t.Fatalf("re-import of the export: %v\n%s\n%s", again.Problems, a.Bytes(), b.Bytes())
		}
		for _, rel := range files {
			if !bytes.Equal(im.Files[rel], again.Files[rel]) {
				t.Fatalf("%s differs after export and import:\n%s\nthen:\n%s", rel, im.Files[rel], again.Files[rel])
			}
		}
	})
}

// decode loads generated files as a workspace, failing on syntax findings.
func decode(t *testing.T, files map[string][]byte) (*model.Workspace, []string) {
	var fs []*load.File
	var rels []string
	for rel, data := range files {
		f := load.DecodeFile(rel, load.KindObjective, data, 0)
		for _, d := range f.Diagnostics {
			if d.Severity == diag.Error {
				t.Fatalf("%s: %v\n%s", rel, d, data)
			}
		}
		fs = append(fs, f)
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	return load.Assemble("", fs).Workspace, rels
}

// TestDocExample imports the sheets of docs/csv.md into the workspace of
// docs/format.md (its settings, people, cycles and grow-arr) and checks
// that the result validates and starts with the YAML the page shows.
func TestDocExample(t *testing.T) {
	blocks := func(name string) map[string]string {
		data, err := os.ReadFile(filepath.Join("../../docs", name))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		re := regexp.MustCompile("(?s)<!-- file: (\\S+) -->\n```\\w*\n(.*?)```")
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	format, page := blocks("format.md"), blocks("csv.md")
	dir := t.TempDir()
	for _, f := range []string{"okr.yaml", "org.yaml", "cycles.yaml", "objectives/company/grow-arr.yaml"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(format[f]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	im, err := Import(ImportOptions{KeyResults: File{"okrs.csv", []byte(page["okrs.csv"])},
		Checkins: &File{"checkins.csv", []byte(page["checkins.csv"])}})
	if err != nil || len(im.Problems) > 0 {
		t.Fatal(err, im.Problems)
	}
	res, err := validate.Run(dir, validate.Options{Today: today, Overlay: im.Files})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error {
			t.Errorf("docs/csv.md example: %s", d)
		}
	}
	data, err := os.ReadFile("../../docs/csv.md")
	if err != nil {
		t.Fatal(err)
	}
	shown := regexp.MustCompile("(?s)```yaml\n(.*?)\\.\\.\\.\n```").FindSubmatch(data)
	if shown == nil {
		t.Fatal("docs/csv.md shows no generated YAML")
	}
	got := im.Files["objectives/engineering/platform/reliability.yaml"]
	if !bytes.HasPrefix(got, shown[1]) {
		t.Errorf("docs/csv.md shows:\n%s\nimport writes:\n%s", shown[1], got)
	}
	if _, ok := im.Files["objectives/2026-q4/fast-sales-demos.yaml"]; !ok {
		t.Errorf("no default file for fast-sales-demos: %v", im.Objectives)
	}
}

// TestDocColumns keeps the column tables of docs/csv.md in step with
// Columns, CheckinColumns and InitiativeColumns: the same names, in the
// same order.
func TestDocColumns(t *testing.T) {
	data, err := os.ReadFile("../../docs/csv.md")
	if err != nil {
		t.Fatal(err)
	}
	// table returns the first cell's backquoted names of each row of the
	// table under heading.
	table := func(heading string) []string {
		_, sec, ok := strings.Cut(string(data), "\n## "+heading+"\n")
		if !ok {
			t.Fatalf("docs/csv.md has no section %q", heading)
		}
		sec, _, _ = strings.Cut(sec, "\n## ")
		var names []string
		rows := 0
		for _, line := range strings.Split(sec, "\n") {
			if !strings.HasPrefix(line, "| `") {
				continue
			}
			rows++
			first := strings.Split(line, "|")[1]
			for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(first, -1) {
				names = append(names, m[1])
			}
		}
		if rows == 0 {
			t.Fatalf("docs/csv.md section %q has no column table", heading)
		}
		return names
	}
	for _, tc := range []struct {
		heading string
		want    []string
	}{
		{"The key-result sheet", Columns},
		{"The check-in sheet", append(slices.Clone(CheckinColumns), AnswerPrefix+"QUESTION-ID")},
		{"The initiative sheet", InitiativeColumns},
	} {
		if got := table(tc.heading); !slices.Equal(got, tc.want) {
			t.Errorf("docs/csv.md %q lists the columns\n%v\nbut the code has\n%v", tc.heading, got, tc.want)
		}
	}
}
