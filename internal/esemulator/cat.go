// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"fmt"
	"strconv"
	"strings"
)

// The cat API: indices, aliases and health as rows, in text or JSON.

func (e *Emulator) catIndices(expr string, q queryParams) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	exprs := splitList(expr)
	if len(exprs) == 0 {
		exprs = []string{"_all"}
	}
	names, err := e.resolveLocked(exprs, false, true)
	if err != nil {
		return answer{}, err
	}
	rows := make([]obj, 0, len(names))
	for _, n := range names {
		ix := e.indices[n]
		size := fmt.Sprintf("%db", storeSize(ix))
		if ix.red {
			// An unassigned primary: no shard to read stats from, so the
			// counts and sizes are null (RestIndicesAction.buildTable:
			// "primaryStats.getDocs() == null ? null : ...", likewise
			// getStore(); pri and rep come from the index's health).
			rows = append(rows, obj{
				{"health", "red"}, {"status", "open"}, {"index", n}, {"uuid", ix.uuid},
				{"pri", "1"}, {"rep", "0"}, {"docs.count", nil}, {"docs.deleted", nil},
				{"store.size", nil}, {"pri.store.size", nil},
			})
			continue
		}
		rows = append(rows, obj{
			{"health", "green"}, {"status", map[bool]string{false: "open", true: "close"}[ix.closed]}, {"index", n}, {"uuid", ix.uuid},
			{"pri", "1"}, {"rep", "0"}, {"docs.count", strconv.Itoa(len(ix.docs))}, {"docs.deleted", "0"},
			{"store.size", size}, {"pri.store.size", size},
		})
	}
	return catOutput(rows, q), nil
}

func (e *Emulator) catAliases(name string, q queryParams) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	patterns := splitList(name)
	var rows []obj
	for _, n := range sortedKeys(e.indices) {
		for _, a := range sortedKeys(e.indices[n].aliases) {
			write := "-"
			if w := e.indices[n].aliases[a].writeIndex; w != nil {
				write = strconv.FormatBool(*w)
			}
			ok := len(patterns) == 0
			for _, p := range patterns {
				ok = ok || p == "_all" || glob(p, a)
			}
			if ok {
				rows = append(rows, obj{{"alias", a}, {"index", n}, {"filter", "-"}, {"routing.index", "-"}, {"routing.search", "-"}, {"is_write_index", write}})
			}
		}
	}
	if rows == nil {
		rows = []obj{}
	}
	return catOutput(rows, q), nil
}

// catHealth answers GET _cat/health (RestHealthAction: one row, its first
// columns epoch, seconds since 1970 as the cat API renders every cell, a
// string, and timestamp, HH:mm:ss in UTC), stamped with the emulator's
// clock: the provider reads the cluster's time from it. Without ts=false
// the time columns lead, as Table.startHeadersWithTimestamp adds them.
func (e *Emulator) catHealth(q queryParams) (answer, *esError) {
	e.mu.Lock()
	shards := len(e.indices)
	e.mu.Unlock()
	now := e.Now().UTC()
	row := obj{
		{"cluster", clusterName}, {"status", "green"}, {"node.total", "1"}, {"node.data", "1"},
		{"shards", strconv.Itoa(shards)}, {"pri", strconv.Itoa(shards)}, {"relo", "0"}, {"init", "0"}, {"unassign", "0"},
		{"pending_tasks", "0"}, {"max_task_wait_time", "-"}, {"active_shards_percent", "100.0%"},
	}
	if q.get("ts") != "false" {
		row = append(obj{{"epoch", strconv.FormatInt(now.Unix(), 10)}, {"timestamp", now.Format("15:04:05")}}, row...)
	}
	return catOutput([]obj{row}, q), nil
}

// catOutput applies the cat API's h= column filter and format.
func catOutput(rows []obj, q queryParams) answer {
	if h := splitList(q.get("h")); len(h) > 0 {
		filtered := make([]obj, 0, len(rows))
		for _, r := range rows {
			var f obj
			for _, col := range h {
				for _, p := range r {
					if p.k == col {
						f = append(f, p)
					}
				}
			}
			filtered = append(filtered, f)
		}
		rows = filtered
	}
	if q.get("format") == "json" {
		return answerOK(rows)
	}
	var b strings.Builder
	if q.bool("v", false) && len(rows) > 0 {
		for i, p := range rows[0] {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p.k)
		}
		b.WriteByte('\n')
	}
	for _, r := range rows {
		for i, p := range r {
			if i > 0 {
				b.WriteByte(' ')
			}
			if p.v != nil { // a null cell (a red index's counts) prints empty
				fmt.Fprint(&b, p.v)
			}
		}
		b.WriteByte('\n')
	}
	return answerOK(plainText(b.String()))
}
