// Package model defines the in-memory form of an okr workspace: settings, the
// organisation, cycles, objectives with their key results, initiatives and
// check-ins. Every entity remembers its file and the positions of its keys
// and values (Source), so later stages can point a diagnostic at the exact
// line and column without keeping the YAML tree.
package model

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// FormatVersion is the newest workspace format version this build reads.
const FormatVersion = 1

// Pos is a 1-based line and column in a file.
type Pos struct {
	Line, Col int
}

// Source says where an entity was written: the file (File; slash-separated,
// relative to the workspace root), the position of the entity's mapping and
// of each of its keys and values. Positions are copied out of the YAML tree
// when the entity is decoded, so the tree can be dropped. They are stored
// compactly, because a large workspace has hundreds of thousands of
// entities: the fields of every entity of one file sit in one table
// (SourceTable), which holds the file's name too, and a Source (24 bytes)
// is the entity's position, the table and its range of fields. A
// field takes 4 bytes: the key's line (from the entity's) and column, its
// number, and the value's distance from the key when the value is on the
// key's line (as nearly always); other fields are stored in full on the
// side.
type Source struct {
	pos pos32
	tab *sourceTable
	off uint32 // the entity's first field in tab.fields
	n   uint32 // its number of fields
}

// File returns the file the entity was written in, slash-separated and
// relative to the workspace root ("" for an entity made in memory).
func (s Source) File() string {
	if s.tab == nil {
		return ""
	}
	return s.tab.file
}

// SetFile moves the entity to file, keeping its positions. The Source
// gets a table of its own (its fields shared, read only).
func (s *Source) SetFile(file string) {
	nt := &sourceTable{}
	if s.tab != nil {
		*nt = *s.tab
	}
	nt.file = file
	s.tab = nt
}

// pos32 is a compact Pos.
type pos32 struct{ line, col int32 }

func (p pos32) Pos() Pos { return Pos{Line: int(p.line), Col: int(p.col)} }

// sourceTable holds the fields of the entities of one file.
type sourceTable struct {
	file   string
	fields []field
	// wide holds the fields that do not fit a field, wideAt their
	// indexes in fields (ascending).
	wide   []wideField
	wideAt []uint32
	// lists holds the item positions of fields whose value is a list of
	// scalars (contributors, tags, ...), in field order.
	lists []list
	// keyText holds the keys that are not in keyNames, one after the
	// other: key k >= len(keyNames) is keyText[keyOff[i]:keyOff[i+1]] with
	// i = k-len(keyNames).
	keyText string
	keyOff  []uint32
	// text, names, answers and numbers hold the check-ins' text and
	// confidences (Checkin).
	text    string
	names   []string
	answers []Answer
	numbers []float64
}

// field is one key and value of a mapping of an entity at line L: the
// key, number key, at line L+dline and column col, and the value on the
// same line gap characters after the key's last when gap < nextLine,
// else on the next line at column col+gap-nextLine-64 (a list or mapping
// under its key); or, when key is wideKey, the field in
// sourceTable.wide.
type field struct {
	dline, col, key, gap uint8
}

// wideKey marks a field stored in sourceTable.wide.
const wideKey = 255

// nextLine marks a field whose value is on the line after its key.
const nextLine = 0x80

type wideField struct {
	keyPos, valPos pos32
	key            uint32
}

// keyLen is the length in characters of key number k.
func (t *sourceTable) keyLen(k uint32) int {
	if int(k) < len(keyNames) {
		return len(keyNames[k]) // ASCII
	}
	return utf8.RuneCountInString(t.keyName(k))
}

// keyName returns the name of key number k.
func (t *sourceTable) keyName(k uint32) string {
	if int(k) < len(keyNames) {
		return keyNames[k]
	}
	i := int(k) - len(keyNames)
	return t.keyText[t.keyOff[i]:t.keyOff[i+1]]
}

// unpack returns field i of the table, of an entity at line base, in full.
func (t *sourceTable) unpack(i uint32, base int32) wideField {
	f := t.fields[i]
	if f.key == wideKey {
		return t.wide[sort.Search(len(t.wideAt), func(j int) bool { return t.wideAt[j] >= i })]
	}
	k := uint32(f.key)
	kp := pos32{base + int32(f.dline), int32(f.col)}
	if f.gap >= nextLine {
		return wideField{key: k, keyPos: kp, valPos: pos32{kp.line + 1, kp.col + int32(f.gap) - nextLine - 64}}
	}
	return wideField{key: k, keyPos: kp, valPos: pos32{kp.line, kp.col + int32(t.keyLen(k)) + int32(f.gap)}}
}

// pack adds w, a field of an entity at line base, to the table's scratch
// fields, compactly when it fits.
func (t *SourceTable) pack(w wideField, base int32) {
	if dline := w.keyPos.line - base; w.key < wideKey && dline >= 0 && dline <= math.MaxUint8 &&
		w.keyPos.col > 0 && w.keyPos.col <= math.MaxUint8 {
		gap := int32(-1)
		switch w.valPos.line {
		case w.keyPos.line:
			if g := w.valPos.col - w.keyPos.col - int32(t.keyLen(w.key)); g >= 0 && g < nextLine {
				gap = g
			}
		case w.keyPos.line + 1:
			if d := w.valPos.col - w.keyPos.col; d >= -64 && d < 64 {
				gap = nextLine + 64 + d
			}
		}
		if gap >= 0 {
			t.fields = append(t.fields, field{dline: uint8(dline), col: uint8(w.keyPos.col), key: uint8(w.key), gap: uint8(gap)})
			return
		}
	}
	t.wideAt = append(t.wideAt, uint32(len(t.fields)))
	t.fields = append(t.fields, field{key: wideKey})
	t.wide = append(t.wide, w)
}

// keyLen is the length in characters of key number k.
func (t *SourceTable) keyLen(k uint32) int {
	if int(k) < len(keyNames) {
		return len(keyNames[k])
	}
	i := int(k) - len(keyNames)
	return utf8.RuneCount(t.keyText[t.keyOff[i]:t.keyOff[i+1]])
}

type list struct {
	field uint32 // index into sourceTable.fields
	items []pos32
}

// SourceTable records the Sources of the entities of one file into one
// table. Source adds an entity; Done ends the file: it sizes the table
// exactly and starts a new one, keeping its scratch space for the next
// file. A SourceTable is used by one goroutine at a time; the Sources it
// returns are read-only and safe to share.
type SourceTable struct {
	tab    *sourceTable
	fields []field
	wide   []wideField
	wideAt []uint32
	lists  []list
	// keyText and keyOff are the file's other keys, as in sourceTable;
	// keyIdx numbers them while the file is recorded.
	keyText []byte
	keyOff  []uint32
	keyIdx  map[string]uint32
	// runs maps a hash of an entity's fields to where they are, so
	// entities written alike share them (share).
	runs map[uint64]uint32
	// text, names and answers are the check-ins' text, as in
	// sourceTable; nameIdx numbers the names, ansText holds each
	// answer's text's offset and length in text, filled in by Done;
	// late holds the check-ins whose text gets a table of its own.
	text    []byte
	names   []string
	nameIdx map[string]uint16
	answers []Answer
	ansText []uint32
	late    []lateText
	// numbers and numIdx are the check-ins' confidences; lateNum the
	// check-ins whose confidence gets a table of its own.
	numbers []float64
	numIdx  map[uint64]uint16
	lateNum []lateNumber
	// cur is the Source Start began, and curLists and curWide the lengths
	// of lists and wide then.
	cur               Source
	curLists, curWide int
}

// lateNumber is a check-in's confidence set by Done (SetConfidence).
type lateNumber struct {
	c *Checkin
	v float64
}

// Confidence records check-in c's confidence v into the file's table,
// as CheckinText records its text.
func (t *SourceTable) Confidence(c *Checkin, v float64) {
	b := math.Float64bits(v)
	i, ok := t.numIdx[b]
	if !ok {
		if len(t.numbers) >= math.MaxUint16 {
			t.lateNum = append(t.lateNum, lateNumber{c, v})
			return
		}
		if t.numIdx == nil {
			t.numIdx = map[uint64]uint16{}
		}
		t.numbers = append(t.numbers, v)
		i = uint16(len(t.numbers))
		t.numIdx[b] = i
	}
	if t.tab == nil {
		t.tab = &sourceTable{}
	}
	c.tab, c.conf = t.tab, i
}

// lateText is a check-in's text set by Done (Checkin.SetText).
type lateText struct {
	c *Checkin
	t CheckinText
}

// CheckinText records the text of check-in c, whose Source t returned
// since the last Done, into the file's table; c must stay where it is
// until Done. The note and the answers' texts are copied (they may point
// into the file's bytes); the status, author and question ids are kept as
// given (the loader interns them).
func (t *SourceTable) CheckinText(c *Checkin, ct CheckinText) {
	if t.tab == nil {
		t.tab = &sourceTable{}
	}
	st, ok1 := t.name(ct.Status)
	au, ok2 := t.name(ct.Author)
	size := len(ct.Note)
	for _, a := range ct.Answers {
		size += len(a.Text)
	}
	if !ok1 || !ok2 || len(ct.Answers) >= ansAll || len(t.text)+size+2*binary.MaxVarintLen64 > math.MaxUint32 {
		// More names than a file's table numbers, or more answers
		// than a check-in's count holds: the check-in's own table.
		ct.Status, ct.Note, ct.Author = strings.Clone(ct.Status), strings.Clone(ct.Note), strings.Clone(ct.Author)
		ct.Answers = append([]Answer(nil), ct.Answers...)
		for i := range ct.Answers {
			ct.Answers[i].Text = strings.Clone(ct.Answers[i].Text)
		}
		t.late = append(t.late, lateText{c, ct})
		return
	}
	c.tab, c.status, c.author = t.tab, st, au
	c.text, c.ans = 0, c.ans&isBool|uint16(len(ct.Answers))
	if ct.Note != "" || len(ct.Answers) > 0 {
		c.text = uint32(len(t.text)) + 1
		t.text = binary.AppendUvarint(t.text, uint64(len(ct.Note)))
		t.text = append(t.text, ct.Note...)
		if len(ct.Answers) > 0 {
			t.text = binary.AppendUvarint(t.text, uint64(len(t.answers)))
		}
	}
	for _, a := range ct.Answers {
		t.ansText = append(t.ansText, uint32(len(t.text)), uint32(len(a.Text)))
		t.text = append(t.text, a.Text...)
		a.Text = ""
		t.answers = append(t.answers, a)
	}
}

// name returns the number of name in the file's names (0 for ""),
// false when the table is full.
func (t *SourceTable) name(name string) (uint16, bool) {
	if name == "" {
		return 0, true
	}
	if i, ok := t.nameIdx[name]; ok {
		return i, true
	}
	if len(t.names) >= math.MaxUint16-1 {
		return 0, false
	}
	if t.nameIdx == nil {
		t.nameIdx = map[string]uint16{}
	}
	t.names = append(t.names, name)
	t.nameIdx[name] = uint16(len(t.names))
	return uint16(len(t.names)), true
}

// NewSource returns the Source of an entity of file without positions
// (its Pos is 1:1), in a table of its own.
func NewSource(file string) Source {
	var t SourceTable
	t.Start(file, 0, 0)
	s := t.End()
	t.Done()
	return s
}

// Start begins recording where an entity is in file: its position (0, 0
// when it has none; its Pos is then 1:1). Field records each of its keys,
// End returns its Source, complete once Done is called. Entities of one
// file are recorded one after another; starting one in another file does
// Done first. (The loader records an entity from its YAML mapping node.)
func (t *SourceTable) Start(file string, line, col int) {
	if t.tab != nil && t.tab.file != file {
		t.Done() // the last file's Sources are complete
	}
	if t.tab == nil {
		t.tab = &sourceTable{file: file}
	}
	t.cur = Source{tab: t.tab, pos: pos32{int32(line), int32(col)}, off: uint32(len(t.fields))}
	t.curLists, t.curWide = len(t.lists), len(t.wide)
}

// Field records a key of the entity Start began: its name and position,
// its value's position, and for a value that is a list of scalars the
// positions of its items (copied; nil otherwise).
func (t *SourceTable) Field(key string, keyLine, keyCol, valLine, valCol int, items []Pos) {
	if len(items) > 0 {
		l := list{field: uint32(len(t.fields)), items: make([]pos32, len(items))}
		for j, p := range items {
			l.items[j] = pos32{int32(p.Line), int32(p.Col)}
		}
		t.lists = append(t.lists, l)
	}
	t.pack(wideField{key: t.key(key), keyPos: pos32{int32(keyLine), int32(keyCol)}, valPos: pos32{int32(valLine), int32(valCol)}}, t.cur.pos.line)
}

// End returns the Source of the entity Start began.
func (t *SourceTable) End() Source {
	s := t.cur
	t.cur = Source{}
	s.n = uint32(len(t.fields)) - s.off
	if s.n == 0 {
		s.off = 0
		return s
	}
	if len(t.lists) == t.curLists && len(t.wide) == t.curWide {
		s.off = t.share(s.off)
	}
	return s
}

// share returns where the fields from off to the end already occur in the
// table, dropping them from its end, or off when they do not. Entities
// written alike (a key result's check-ins, say) have equal fields, since a
// field holds its line relative to its entity's: they share one run. Only
// runs without wide fields or lists are shared, so every wide field's and
// list's index stays its own.
func (t *SourceTable) share(off uint32) uint32 {
	run := t.fields[off:]
	h := uint64(14695981039346656037)
	for _, f := range run {
		h ^= uint64(f.dline) | uint64(f.col)<<8 | uint64(f.key)<<16 | uint64(f.gap)<<24
		h *= 1099511628211
	}
	h ^= uint64(len(run)) << 32
	if at, ok := t.runs[h]; ok && int(at)+len(run) <= int(off) && slices.Equal(t.fields[at:int(at)+len(run)], run) {
		t.fields = t.fields[:off]
		return at
	}
	if t.runs == nil {
		t.runs = map[uint64]uint32{}
	}
	t.runs[h] = off
	return off
}

// key returns the number of key name.
func (t *SourceTable) key(name string) uint32 {
	if k, ok := keyIndex[name]; ok {
		return k
	}
	if k, ok := t.keyIdx[name]; ok {
		return k
	}
	if t.keyIdx == nil {
		t.keyIdx = map[string]uint32{}
	}
	if len(t.keyOff) == 0 {
		t.keyOff = append(t.keyOff, 0)
	}
	// The map holds the parser's string until Done; the table keeps a
	// copy, so it does not pin the file's text.
	k := uint32(len(keyNames) + len(t.keyOff) - 1)
	t.keyText = append(t.keyText, name...)
	t.keyOff = append(t.keyOff, uint32(len(t.keyText)))
	t.keyIdx[name] = k
	return k
}

// Done completes the Sources recorded since the last Done.
func (t *SourceTable) Done() {
	if t.tab == nil {
		return
	}
	t.tab.fields = append([]field(nil), t.fields...)
	clear(t.runs)
	if len(t.wide) > 0 {
		t.tab.wide = append([]wideField(nil), t.wide...)
		t.tab.wideAt = append([]uint32(nil), t.wideAt...)
	}
	if len(t.lists) > 0 {
		t.tab.lists = append([]list(nil), t.lists...)
	}
	if len(t.keyOff) > 0 {
		t.tab.keyText = string(t.keyText)
		t.tab.keyOff = append([]uint32(nil), t.keyOff...)
		clear(t.keyIdx)
	}
	if len(t.text) > 0 {
		t.tab.text = string(t.text)
	}
	if len(t.names) > 0 {
		t.tab.names = append([]string(nil), t.names...)
		clear(t.names)
		clear(t.nameIdx)
	}
	if len(t.answers) > 0 {
		t.tab.answers = append([]Answer(nil), t.answers...)
		for i := range t.tab.answers {
			off, n := t.ansText[2*i], t.ansText[2*i+1]
			t.tab.answers[i].Text = t.tab.text[off : off+n]
		}
		clear(t.answers)
	}
	if len(t.numbers) > 0 {
		t.tab.numbers = append([]float64(nil), t.numbers...)
		clear(t.numIdx)
	}
	for _, l := range t.late {
		l.c.SetText(l.t)
	}
	for _, l := range t.lateNum {
		l.c.SetConfidence(&l.v)
	}
	clear(t.late)
	t.numbers, t.lateNum = t.numbers[:0], t.lateNum[:0]
	t.text, t.names, t.answers, t.ansText, t.late = t.text[:0], t.names[:0], t.answers[:0], t.ansText[:0], t.late[:0]
	clear(t.lists) // drop the item slices' references
	t.tab, t.fields, t.wide, t.wideAt, t.lists = nil, t.fields[:0], t.wide[:0], t.wideAt[:0], t.lists[:0]
	t.keyText, t.keyOff = t.keyText[:0], t.keyOff[:0]
}

// keyNames are the field names of the format, which a large workspace
// repeats millions of times: a field stores a key's number in this list.
var keyNames = strings.Fields(`id title cycle description level owner contributors category tags weight
	rollup aligns_to key_results initiatives objective type start target threshold low high steps unit
	due score checkins date value confidence status note author answers link key_result name email git
	handle team role parent lead cadence state end version people teams cycles symbol decimals text
	required min max color visible_to hidden_from carried_from carried_to`)

var keyIndex = func() map[string]uint32 {
	m := make(map[string]uint32, len(keyNames))
	for i, k := range keyNames {
		m[k] = uint32(i)
	}
	return m
}()

// Pos returns the position of the entity itself.
func (s Source) Pos() Pos {
	if s.pos.line == 0 {
		return Pos{Line: 1, Col: 1}
	}
	return s.pos.Pos()
}

// keyName returns the name of key number k.
func (s Source) keyName(k uint32) string { return s.tab.keyName(k) }

// keyOf returns the key number of the entity's field i.
func (s Source) keyOf(i int) uint32 {
	if f := s.tab.fields[s.off+uint32(i)]; f.key != wideKey {
		return uint32(f.key)
	}
	return s.unpack(i).key
}

// unpack returns the entity's field i in full.
func (s Source) unpack(i int) wideField { return s.tab.unpack(s.off+uint32(i), s.pos.line) }

func (s Source) index(key string) int {
	for i := range s.n {
		if s.keyName(s.keyOf(int(i))) == key {
			return int(i)
		}
	}
	return -1
}

// Has reports whether the entity's mapping has key.
func (s Source) Has(key string) bool { return s.index(key) >= 0 }

// Keys returns the keys of the entity's mapping in file order.
func (s Source) Keys() []string {
	out := make([]string, s.n)
	for i := range out {
		out[i] = s.keyName(s.keyOf(i))
	}
	return out
}

// At returns the position of the value of key in the entity's mapping, or the
// entity's own position when the key is absent.
func (s Source) At(key string) Pos {
	if i := s.index(key); i >= 0 {
		return s.unpack(i).valPos.Pos()
	}
	return s.Pos()
}

// KeyAt returns the position of key itself, or the entity's own position
// when the key is absent.
func (s Source) KeyAt(key string) Pos {
	if i := s.index(key); i >= 0 {
		return s.unpack(i).keyPos.Pos()
	}
	return s.Pos()
}

// Items returns the positions of the items of key's value when it is a
// list of scalars, else nil.
func (s Source) Items(key string) []Pos {
	i := s.index(key)
	if i < 0 {
		return nil
	}
	f := s.off + uint32(i)
	ls := s.tab.lists
	j := sort.Search(len(ls), func(j int) bool { return ls[j].field >= f })
	if j == len(ls) || ls[j].field != f {
		return nil
	}
	out := make([]Pos, len(ls[j].items))
	for k, p := range ls[j].items {
		out[k] = p.Pos()
	}
	return out
}

// Date is a calendar day without time zone. It takes 4 bytes (a large
// workspace holds hundreds of thousands of dated check-ins): Month is
// 1 to 12 as in time.Month, Year 1 to 9999 as ParseDate accepts (DateOf
// clamps years outside int16 to its range).
type Date struct {
	Year  int16
	Month uint8
	Day   uint8
}

// ParseDate parses an ISO 8601 calendar date (YYYY-MM-DD). Year 0 is
// refused: the zero Date stands for no date.
func ParseDate(s string) (Date, error) {
	if d, ok := plainDate(s); ok {
		return d, nil
	}
	if s == "" {
		return Date{}, errNoDate
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	if t.Year() == 0 {
		// The zero Date means "no date": year 0 is not one okr can hold.
		return Date{}, fmt.Errorf("parsing date %q: year 0 is out of range", s)
	}
	return DateOf(t), nil
}

// errNoDate is ParseDate's error for "": an absent date is common (a key
// result without due:), and time.Parse's error would be made anew each time.
var errNoDate = errors.New(`parsing date "": want YYYY-MM-DD`)

// plainDate parses the dates time.Parse(time.DateOnly, s) accepts with a
// year from 1 (ok false for anything else, for ParseDate to refuse with
// time.Parse's message): without time.Parse's work, or its error, for
// the hundreds of thousands of dates in a large workspace's history.
// FuzzParseDate holds it to time.Parse.
func plainDate(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	v := 0
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return Date{}, false
		}
		v = v*10 + int(c-'0')
	}
	y, m, d := v/10000, v/100%100, v%100
	if y == 0 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, false
	}
	return Date{int16(y), uint8(m), uint8(d)}, true
}

// daysIn is the number of days of month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// DateOf returns the calendar day of t in t's location. A year outside
// int16's range is clamped to it.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	y = min(max(y, math.MinInt16), math.MaxInt16)
	return Date{int16(y), uint8(m), uint8(d)}
}

// NewDate returns the day d of month m of year y. Like time.Date it
// normalizes values out of range (October 32 is November 1).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	return time.Date(int(d.Year), time.Month(d.Month), int(d.Day), 0, 0, 0, 0, time.UTC)
}

// Before reports whether d is strictly earlier than e.
func (d Date) Before(e Date) bool {
	if a, ok := d.ordinal(); ok {
		if b, ok := e.ordinal(); ok {
			return a < b
		}
	}
	return d.Time().Before(e.Time())
}

// After reports whether d is strictly later than e.
func (d Date) After(e Date) bool { return e.Before(d) }

// ordinal is d as a number in calendar order when d is a day of the
// calendar as written (ok false for any other value, such as the zero
// Date or October 32, which Before compares as time.Time normalizes it).
// Comparing dates is the semantic rules' commonest step: each check-in's
// date against its cycle and today. FuzzDateOrder holds it to time.Time.
func (d Date) ordinal() (int32, bool) {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return 0, false
	}
	if d.Day > 28 {
		days := monthDays[d.Month-1]
		if y := int(d.Year); d.Month == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			days = 29
		}
		if int(d.Day) > days {
			return 0, false
		}
	}
	return int32(d.Year)*512 + int32(d.Month)*32 + int32(d.Day), true
}

var monthDays = [12]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// Workspace is a whole loaded workspace. Slices keep file order: files sorted
// by path, entities in the order written.
type Workspace struct {
	// Root is the absolute path of the folder holding okr.yaml.
	Root       string
	Settings   Settings
	People     []*Person
	Teams      []*Team
	Cycles     []*Cycle
	Objectives []*Objective
}

// cadenceDays is the check-in period of each cadence, in days.
var cadenceDays = map[string]int{"weekly": 7, "biweekly": 14, "monthly": 31}

// PeriodDays returns the check-in period of the cycle's cadence in days
// (weekly, 7, when the cadence is unknown): the window `okr stats` counts
// check-ins in, and the period `okr due` and `okr lint` measure staleness
// by.
func (c *Cycle) PeriodDays() int {
	if d := cadenceDays[c.Cadence]; d > 0 {
		return d
	}
	return 7
}

// Cycle returns the first cycle with id, nil when there is none.
func (ws *Workspace) Cycle(id string) *Cycle {
	for _, c := range ws.Cycles {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Within reports whether cycle c lies within cycle p: its dates inside
// p's (the same cycle, or a quarter of its year, say). This is the one
// rule for alignment across cycles (docs/scoring.md): a child objective
// counts in a parent's rollup, and may align to it, only when the child's
// cycle lies within the parent's. A cycle without dates lies within
// nothing but itself.
func (c *Cycle) Within(p *Cycle) bool {
	if c == nil || p == nil {
		return false
	}
	if c == p || c.ID == p.ID {
		return true
	}
	if c.Start.IsZero() || c.End.IsZero() || p.Start.IsZero() || p.End.IsZero() {
		return false
	}
	return !c.Start.Before(p.Start) && !c.End.After(p.End)
}

// CycleWithin reports whether the cycle with id child lies within the
// cycle with id parent (Cycle.Within). Equal ids always do, known or not,
// so an objective's alignment in an unknown cycle is judged by the
// unknown-cycle rule alone.
func (ws *Workspace) CycleWithin(child, parent string) bool {
	if child == parent {
		return true
	}
	return ws.Cycle(child).Within(ws.Cycle(parent))
}

// idPattern is the id rule of the JSON schemas (schema/*.schema.json):
// lowercase letters, digits, '.', '_' and '-', starting with a letter or
// digit, at most 80 characters.
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// ValidID reports whether s is a valid id of objectives, key results,
// cycles, people and teams, as the schemas define it.
func ValidID(s string) bool { return len(s) <= 80 && idPattern.MatchString(s) }

// TeamParents maps every team's id to its parent team's id ("" for a team
// at the top of the org).
type TeamParents map[string]string

// TeamParents returns the parent of every team in the workspace.
func (ws *Workspace) TeamParents() TeamParents {
	p := make(TeamParents, len(ws.Teams))
	for _, t := range ws.Teams {
		p[t.ID] = t.Parent
	}
	return p
}

// Chain returns team and the teams above it, nearest first. A loop in the
// parents (which okr validate reports as team-loop) ends the chain.
func (p TeamParents) Chain(team string) []string {
	var out []string
	seen := map[string]bool{}
	for t := team; t != "" && !seen[t]; t = p[t] {
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// Within reports whether sub is team or one of its sub-teams.
func (p TeamParents) Within(sub, team string) bool {
	seen := map[string]bool{}
	for t := sub; t != "" && !seen[t]; t = p[t] {
		if t == team {
			return true
		}
		seen[t] = true
	}
	return false
}

// Settings are the workspace-wide settings from okr.yaml, defaults applied.
type Settings struct {
	Source
	Version          int
	Name             string
	Units            []*Unit
	Categories       []*Category
	CheckinQuestions []*Question
	// CheckinUnanswered is what okr checkin does with a check-in that
	// leaves a required question unanswered: "refuse" or "warn".
	CheckinUnanswered string
	// SyncAuthor and SyncAllowCommands are okr.yaml's sync: settings.
	SyncAuthor        string
	SyncAllowCommands bool
	ScoreBands        []ScoreBand
	OnTrack, AtRisk   float64
	StatusNames       map[string]string
	// Display is how human outputs show scores: "decimal" (0.72, the
	// default) or "percent" (72%). JSON and CSV keep numbers 0 to 1.
	Display string
	// ProgressCap is the highest progress shown; 0 means uncapped.
	ProgressCap   float64
	Rollup        string
	ConfidenceMin float64
	ConfidenceMax float64
	MaxFileBytes  int64
	// MaxNodes caps the YAML nodes (keys and values) of one file.
	MaxNodes int
	// Lint configures okr lint's quality rules.
	Lint LintSettings
}

// LintSettings configure the quality rules of okr lint (okr.yaml lint;
// docs/lint.md). Zero values mean the defaults.
type LintSettings struct {
	// Rules maps a rule code to "error", "warning" or "off".
	Rules map[string]string
	// TaskVerbs are the first words that make an objective read like a
	// task; nil means the built-in list.
	TaskVerbs []string
	// MinKeyResults and MaxKeyResults bound the key results per objective.
	MinKeyResults, MaxKeyResults int
	// MinAt and MaxAt are where okr.yaml writes lint.key_results min and
	// max as integers; zero when it does not, so an explicit "min: 0" can
	// be told from no min at all.
	MinAt, MaxAt Pos
	// MaxObjectivesPerOwner bounds one owner's objectives in a cycle.
	MaxObjectivesPerOwner int
	// Ignore maps a rule code to the ids (objectives, key results,
	// owners) it knowingly does not apply to.
	Ignore map[string][]string
}

// Unit is a unit of measure key results may use.
type Unit struct {
	Source
	ID, Name, Symbol string
	Decimals         int
}

// Category is a label objectives may carry.
type Category struct {
	Source
	ID, Name, Description string
}

// Question is a check-in question every check-in may answer.
type Question struct {
	Source
	ID, Text string
	Required bool
}

// ScoreBand is an evaluation criterion: scores at or above Min (and below the
// next band) fall in it.
type ScoreBand struct {
	Name  string
	Min   float64
	Color string
}

// Person is a member of the organisation.
type Person struct {
	Source
	ID, Name, Email, Handle, Team, Role string
	Git                                 []string
}

// PersonByGit returns the person a commit author is, or nil. The author's
// e-mail is matched first, case-insensitively and trimmed, against each
// person's email and the entries of their git list that contain an '@';
// the first person in org.yaml order that matches wins. Failing that, the
// author's name is matched the same way against each person's name and
// the git entries without an '@', and counts only when exactly one person
// matches: a name two people share stays unmatched.
func (ws *Workspace) PersonByGit(name, email string) *Person {
	if ws == nil {
		return nil
	}
	norm := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	if email = norm(email); email != "" {
		for _, p := range ws.People {
			if norm(p.Email) == email {
				return p
			}
			for _, g := range p.Git {
				if strings.Contains(g, "@") && norm(g) == email {
					return p
				}
			}
		}
	}
	name = norm(name)
	if name == "" {
		return nil
	}
	var found *Person
	for _, p := range ws.People {
		match := norm(p.Name) == name
		for _, g := range p.Git {
			match = match || (!strings.Contains(g, "@") && norm(g) == name)
		}
		switch {
		case !match:
		case found == nil:
			found = p
		case found != p:
			return nil // ambiguous
		}
	}
	return found
}

// Team is a team or department; a team without Parent is top-level.
type Team struct {
	Source
	ID, Name, Parent, Lead, Handle string
}

// Cycle is a planning period; End is inclusive.
type Cycle struct {
	Source
	ID, Name, Cadence, State, Parent string
	Start, End                       Date
}

// Contains reports whether d falls inside the cycle.
func (c *Cycle) Contains(d Date) bool {
	return !d.Before(c.Start) && !d.After(c.End)
}

// Objective is one objective file.
type Objective struct {
	Source
	ID, Title, Description, Cycle, Level, Owner, Category, Rollup string
	Contributors, Tags                                            []string
	Weight                                                        float64
	AlignsTo                                                      []*Alignment
	KeyResults                                                    []*KeyResult
	Initiatives                                                   []*Initiative
	// VisibleTo lists the people and teams who may view the objective
	// (empty: everyone); HiddenFrom those who may not, which beats
	// VisibleTo. docs/visibility.md states the rule.
	VisibleTo, HiddenFrom []string
	// CarriedFrom and CarriedTo link an objective carried over from one
	// cycle to the next (okr carry): the id it continues, the id that
	// continues it.
	CarriedFrom, CarriedTo string
}

// Alignment is a link from an objective to a parent objective.
type Alignment struct {
	Source
	Objective string
	Weight    float64
}

// KR types.
const (
	Increase  = "increase"
	Decrease  = "decrease"
	AtLeast   = "at_least"
	AtMost    = "at_most"
	Range     = "range"
	Milestone = "milestone"
)

// KeyResult is a measurable outcome of an objective. Optional numbers are
// pointers so "absent" differs from zero.
type KeyResult struct {
	Source
	ID, Title, Description, Type, Unit, Owner string
	Start, Target, Threshold, Low, High       *float64
	Steps                                     []string
	Weight                                    float64
	Due                                       Date
	Score                                     *float64
	// Checkins are the key result's check-ins in file order, in one
	// block (no pointer each: a large workspace holds hundreds of
	// thousands). Range over them by index (&kr.Checkins[i]) to use
	// their methods without copying.
	Checkins []Checkin
	// CarriedFrom and CarriedTo link a key result carried over to the
	// next cycle, like Objective's.
	CarriedFrom, CarriedTo string
	// Metric is where okr sync reads the value (source: in the file), or nil.
	Metric *MetricSource
}

// MetricSource is a key result's source: (docs/sources.md). Kind is
// file, http, github or command; the other fields belong to one kind.
type MetricSource struct {
	Source
	Kind                          string
	Path, Pointer, Column, Latest string
	Where, HeadersEnv             map[string]string
	URL, TokenEnv                 string
	MaxBytes                      int64
	Search, Repo, Metric          string
	Argv                          []string
	Scale                         *float64
	Round                         *int
	Timeout                       string
}

// Checkin is a dated progress update on a key result. Value is a number, or
// for milestones a boolean stored as 0 or 1 with IsBool set (SetBool).
//
// A large workspace holds hundreds of thousands of check-ins, so a
// check-in is kept in 48 bytes: its text (Status, Note, Author, Answers)
// and its confidence sit in its file's Source table, and the check-in
// holds where. SetText and SetConfidence set them (the loader records
// them with SourceTable.CheckinText and Confidence instead).
type Checkin struct {
	Source
	Value float64
	Date  Date
	// text is where the check-in's note and answers are: at
	// tab.text[text-1:], the note's length (a uvarint) and the note,
	// then, when it has answers, the first one's index in tab.answers
	// (a uvarint); 0 for no note and no answers.
	text uint32
	// status and author are tab.names[i-1], "" for 0; the confidence
	// is tab.numbers[conf-1], none for 0.
	status, author, conf uint16
	// ans&ansAll is the number of answers, or ansAll when they run to
	// the table's end (a table of the check-in's own); ans&isBool is
	// IsBool.
	ans uint16
}

const (
	// ansAll marks a check-in whose answers run to its table's end.
	ansAll = 1<<15 - 1
	// isBool is the bit of Checkin.ans that is IsBool.
	isBool = 1 << 15
)

// IsBool reports whether the check-in's value is a milestone's true (1)
// or false (0).
func (c *Checkin) IsBool() bool { return c.ans&isBool != 0 }

// SetBool sets IsBool.
func (c *Checkin) SetBool(b bool) {
	c.ans &^= isBool
	if b {
		c.ans |= isBool
	}
}

// WithBool is c with SetBool(b) done.
func (c *Checkin) WithBool(b bool) *Checkin {
	c.SetBool(b)
	return c
}

// CheckinText is a check-in's text: its status, note, author and answers.
type CheckinText struct {
	Status, Note, Author string
	// Answers holds the answers to the workspace's check-in questions, in
	// file order.
	Answers []Answer
}

// Status returns the check-in's status, "" when it states none.
func (c *Checkin) Status() string { return c.name(c.status) }

// Author returns the check-in's author, "" when it states none.
func (c *Checkin) Author() string { return c.name(c.author) }

func (c *Checkin) name(i uint16) string {
	if i == 0 {
		return ""
	}
	return c.tab.names[i-1]
}

// Note returns the check-in's note, "" when it has none.
func (c *Checkin) Note() string {
	if c.text == 0 {
		return ""
	}
	t := c.tab.text[c.text-1:]
	n, w := uvarint(t)
	return t[w : w+int(n)]
}

// ansOff returns the index of the check-in's first answer in its table.
func (c *Checkin) ansOff() uint32 {
	t := c.tab.text[c.text-1:]
	n, w := uvarint(t)
	off, _ := uvarint(t[w+int(n):])
	return uint32(off)
}

// uvarint decodes the uvarint at the start of s: its value and width.
func uvarint(s string) (uint64, int) {
	var x uint64
	for i := 0; i < len(s); i++ {
		b := s[i]
		x |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			return x, i + 1
		}
	}
	return x, len(s)
}

// Confidence returns the check-in's confidence, nil when it states none.
// The value is shared with the check-ins of its file: never write
// through the pointer (SetConfidence changes it).
func (c *Checkin) Confidence() *float64 {
	if c.conf == 0 {
		return nil
	}
	return &c.tab.numbers[c.conf-1]
}

// SetConfidence sets the check-in's confidence (none for nil). Like
// SetText, it gives the check-in a table of its own.
func (c *Checkin) SetConfidence(p *float64) {
	nt := &sourceTable{}
	if c.tab != nil {
		*nt = *c.tab
	}
	nt.numbers, c.conf = nil, 0
	if p != nil {
		nt.numbers, c.conf = []float64{*p}, 1
	}
	c.tab = nt
}

// WithConfidence is c with SetConfidence(p) done.
func (c *Checkin) WithConfidence(p *float64) *Checkin {
	c.SetConfidence(p)
	return c
}

// Answers returns the check-in's answers to the workspace's check-in
// questions, in file order. They are shared: the caller must not modify
// them.
func (c *Checkin) Answers() []Answer {
	n := c.ans & ansAll
	if n == 0 {
		return nil
	}
	off := c.ansOff()
	if n == ansAll {
		return c.tab.answers[off:]
	}
	end := off + uint32(n)
	return c.tab.answers[off:end:end]
}

// Text returns the check-in's status, note, author and answers.
func (c *Checkin) Text() CheckinText {
	return CheckinText{Status: c.Status(), Note: c.Note(), Author: c.Author(), Answers: c.Answers()}
}

// SetText sets the check-in's status, note, author and answers. The
// check-in gets a table of its own (its Source's fields shared, read
// only), so a check-in copied from another can be changed alone.
func (c *Checkin) SetText(t CheckinText) {
	nt := &sourceTable{}
	if c.tab != nil {
		*nt = *c.tab
	}
	nt.text, nt.names, nt.answers = "", nil, nil
	c.text, c.ans = 0, c.ans&isBool
	if t.Note != "" || len(t.Answers) > 0 {
		// The note, and the answers from the table's first.
		b := append(binary.AppendUvarint(nil, uint64(len(t.Note))), t.Note...)
		if len(t.Answers) > 0 {
			b = binary.AppendUvarint(b, 0)
		}
		nt.text, c.text = string(b), 1
	}
	c.status, c.author = 0, 0
	if t.Status != "" {
		nt.names = append(nt.names, t.Status)
		c.status = uint16(len(nt.names))
	}
	if t.Author != "" {
		nt.names = append(nt.names, t.Author)
		c.author = uint16(len(nt.names))
	}
	if len(t.Answers) > 0 {
		nt.answers = append([]Answer(nil), t.Answers...)
		c.ans |= ansAll
	}
	c.tab = nt
}

// WithText is c with SetText(t) done, for building check-ins in one
// expression.
func (c *Checkin) WithText(t CheckinText) *Checkin {
	c.SetText(t)
	return c
}

// Answer is a check-in's answer to one of the workspace's questions.
type Answer struct {
	// Question is the question's id, as written.
	Question string
	Text     string
	// At is the position of the question id in the answers mapping.
	At Pos
}

// Answered reports whether the check-in answers question id.
func (c *Checkin) Answered(id string) bool {
	for _, a := range c.Answers() {
		if a.Question == id {
			return true
		}
	}
	return false
}

// Initiative is work attached to an objective, optionally to one of its KRs.
type Initiative struct {
	Source
	ID, Title, Link, Status, Owner, KeyResult string
	Due                                       Date
}
