// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// A cat API table as the engines build and write it: Table and RestTable
// (server/.../rest/action/cat/RestTable.java, ES 7.17 and 8.x; OS 2.x's is
// the same code), and AbstractCatAction's help. GET _cat/allocation uses it.

// catColumn is a header cell: its name and attributes.
type catColumn struct {
	name    string
	aliases string // "alias:" attribute, comma-separated
	desc    string
	right   bool // "text-align:right"
	hidden  bool // "default:false"
}

// byteSize is a ByteSizeValue cell, written as the bytes parameter says.
type byteSize int64

// catTable is the header and the rows; a cell is a string, an int, a
// byteSize, a float64 or nil (Java's null).
type catTable struct {
	cols []catColumn
	rows [][]any
}

// catResponseParams are AbstractCatAction.RESPONSE_PARAMS plus help
// (read in prepareRequest): every cat API takes them.
var catResponseParams = []string{"format", "h", "v", "ts", "pri", "bytes", "size", "time", "s", "help"}

// javaBool is RestRequest.paramAsBoolean with the default false (every
// parameter read with it defaults to false): absent is false, "" and
// "true" are true, "false" is false, anything else is refused
// (Booleans.parseBoolean).
func javaBool(q queryParams, k string) (bool, *esError) {
	if !q.Has(k) {
		return false, nil
	}
	switch v := q.Get(k); v {
	case "", "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return false, errIllegalArgument("Failed to parse value [" + v + "] as only [true] or [false] are allowed.")
	}
}

// render answers the table: help, JSON or text.
func (t *catTable) render(r *http.Request, q queryParams) (answer, *esError) {
	help, err := javaBool(q, "help")
	if err != nil {
		return answer{}, err
	}
	if help {
		return answerOK(plainText(t.help())), nil
	}
	headers := t.displayHeaders(q)
	order, err := t.rowOrder(q)
	if err != nil {
		return answer{}, err
	}
	if catWantsJSON(r, q) {
		rows := make([]obj, 0, len(order))
		for _, row := range order {
			o := make(obj, 0, len(headers))
			for _, h := range headers {
				o = append(o, kv{h.display, renderCell(t.rows[row][h.col], q)})
			}
			rows = append(rows, o)
		}
		return answerOK(rows), nil
	}
	verbose, err := javaBool(q, "v")
	if err != nil {
		return answer{}, err
	}
	return answerOK(plainText(t.text(headers, order, verbose, q))), nil
}

// catWantsJSON is RestTable.getResponseContentType for JSON: the format
// parameter when given, else the Accept header.
func catWantsJSON(r *http.Request, q queryParams) bool {
	if q.Has("format") {
		return strings.EqualFold(q.Get("format"), "json")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Accept"))
	return err == nil && (mt == "application/json" || mt == vndJSON)
}

type displayHeader struct {
	col     int
	display string
}

// displayHeaders is RestTable.buildDisplayHeaders: the h columns (names,
// aliases, simple wildcards; unknown ones left out), else every column
// without default:false.
func (t *catTable) displayHeaders(q queryParams) []displayHeader {
	var out []displayHeader
	if !q.Has("h") {
		for i, c := range t.cols {
			if !c.hidden {
				out = append(out, displayHeader{i, c.name})
			}
		}
		return out
	}
	var wanted []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			wanted = append(wanted, s)
		}
	}
	for _, h := range splitCommas(q.Get("h")) {
		if !strings.Contains(h, "*") {
			add(h)
			continue
		}
		for _, c := range t.cols {
			if glob(h, c.name) || anyGlob(h, splitCommas(c.aliases)) {
				add(c.name)
			}
		}
	}
	for _, w := range wanted {
		for i, c := range t.cols {
			if c.name == w || contains(splitCommas(c.aliases), w) {
				out = append(out, displayHeader{i, w})
				break
			}
		}
	}
	return out
}

func anyGlob(pattern string, names []string) bool {
	for _, n := range names {
		if glob(pattern, n) {
			return true
		}
	}
	return false
}

// splitCommas is Strings.splitStringByCommaToArray: String.split(","),
// no trimming, trailing empty strings dropped.
func splitCommas(s string) []string {
	if s == "" {
		return nil
	}
	return javaSplit(s, ",")
}

// rowOrder is RestTable.getRowOrder: the s parameter's columns (names or
// aliases, :asc or :desc); an unknown one is an
// UnsupportedOperationException, which the engine answers as a 500.
func (t *catTable) rowOrder(q queryParams) ([]int, *esError) {
	order := make([]int, len(t.rows))
	for i := range order {
		order[i] = i
	}
	if !q.Has("s") {
		return order, nil
	}
	type key struct {
		col     int
		reverse bool
	}
	var keys []key
	for _, s := range splitCommas(q.Get("s")) {
		k := key{col: -1}
		if strings.HasSuffix(s, ":desc") {
			s, k.reverse = strings.TrimSuffix(s, ":desc"), true
		} else {
			s = strings.TrimSuffix(s, ":asc")
		}
		for i, c := range t.cols {
			if c.name == s || contains(splitCommas(c.aliases), s) {
				k.col = i
			}
		}
		if k.col < 0 {
			return nil, newError(http.StatusInternalServerError, "unsupported_operation_exception", "Unable to sort by unknown sort key `"+s+"`")
		}
		keys = append(keys, k)
	}
	sort.SliceStable(order, func(a, b int) bool {
		for _, k := range keys {
			c := compareCells(t.rows[order[a]][k.col], t.rows[order[b]][k.col])
			if k.reverse {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	return order, nil
}

// compareCells is TableIndexComparator.compareCell: null first, numbers
// by value, anything else by its text.
func compareCells(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	num := func(v any) (float64, bool) {
		switch n := v.(type) {
		case int:
			return float64(n), true
		case byteSize:
			return float64(n), true
		case float64:
			return n, true
		}
		return 0, false
	}
	x, okx := num(a)
	y, oky := num(b)
	if okx && oky {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(cellText(a), cellText(b))
}

func cellText(v any) string {
	switch c := v.(type) {
	case string:
		return c
	case int:
		return strconv.Itoa(c)
	case float64:
		return javaDouble(c)
	case byteSize:
		return humanBytes(int64(c))
	}
	return ""
}

// renderCell is RestTable.renderValue: a ByteSizeValue in the unit of the
// bytes parameter (a whole number, rounded down) or human-readable; null
// stays null.
func renderCell(v any, q queryParams) any {
	b, ok := v.(byteSize)
	if !ok {
		if v == nil {
			return nil
		}
		return cellText(v)
	}
	units := map[string]int64{"b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
		"g": 1 << 30, "gb": 1 << 30, "t": 1 << 40, "tb": 1 << 40, "p": 1 << 50, "pb": 1 << 50}
	if div, ok := units[q.Get("bytes")]; ok {
		return strconv.FormatInt(int64(b)/div, 10)
	}
	return humanBytes(int64(b))
}

// humanBytes is ByteSizeValue.toString: the largest unit the value
// reaches, one decimal cut (not rounded) by Strings.format1Decimals, and
// no ".0".
func humanBytes(n int64) string {
	units := []struct {
		size   int64
		suffix string
	}{{1 << 50, "pb"}, {1 << 40, "tb"}, {1 << 30, "gb"}, {1 << 20, "mb"}, {1 << 10, "kb"}}
	value, suffix := float64(n), "b"
	for _, u := range units {
		if n >= u.size {
			value, suffix = float64(n)/float64(u.size), u.suffix
			break
		}
	}
	p := javaDouble(value)
	whole, frac, _ := strings.Cut(p, ".")
	if frac == "" || frac[0] == '0' {
		return whole + suffix
	}
	return whole + "." + frac[:1] + suffix
}

// javaDouble is Double.toString for the values cells hold (no exponent).
func javaDouble(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// text is RestTable.buildTextPlainResponse: columns padded to their
// widest cell (and header, with v), right-aligned columns padded on the
// left, the last column not padded on the right.
func (t *catTable) text(headers []displayHeader, order []int, verbose bool, q queryParams) string {
	width := make([]int, len(headers))
	for i, h := range headers {
		if verbose {
			width[i] = len(h.display)
		}
		for _, row := range t.rows {
			if s, _ := renderCell(row[h.col], q).(string); len(s) > width[i] {
				width[i] = len(s)
			}
		}
	}
	var b strings.Builder
	line := func(cell func(i int) string) {
		for i, h := range headers {
			last := i == len(headers)-1
			s := cell(i)
			pad := strings.Repeat(" ", width[i]-len(s))
			if t.cols[h.col].right && pad != "" {
				b.WriteString(pad + s)
			} else {
				b.WriteString(s)
				if !last {
					b.WriteString(pad)
				}
			}
			if !last {
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	if verbose {
		line(func(i int) string { return headers[i].display })
	}
	for _, row := range order {
		line(func(i int) string { s, _ := renderCell(t.rows[row][headers[i].col], q).(string); return s })
	}
	return b.String()
}

// help is AbstractCatAction's help=true answer: name | aliases | desc of
// every column, left-aligned and padded.
func (t *catTable) help() string {
	var w [3]int
	for _, c := range t.cols {
		w[0], w[1], w[2] = max(w[0], len(c.name)), max(w[1], len(c.aliases)), max(w[2], len(c.desc))
	}
	var b strings.Builder
	for _, c := range t.cols {
		for i, s := range []string{c.name, c.aliases, c.desc} {
			b.WriteString(s + strings.Repeat(" ", w[i]-len(s)))
			if i < 2 {
				b.WriteString(" | ")
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
