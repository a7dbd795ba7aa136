// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"net/http"
	"strings"
)

// GET _cat/allocation: the node's shards and disk, as RestAllocationAction
// (server/.../rest/action/cat/RestAllocationAction.java; ES 7.17, ES 8.x,
// OS 2.x) answers it, and the emulator's control of the node's disk.

// The node's disk when no control set it: 100 GiB, 60 GiB of it available.
const (
	defaultDiskTotal = 100 << 30
	defaultDiskAvail = 60 << 30
	// nodeAddress is the node's host name and address (DiscoveryNode
	// getHostName and getHostAddress of a node bound to loopback).
	nodeAddress = "127.0.0.1"
	// nodeRoles is DiscoveryNode.getRoleAbbreviationString of a node with
	// every role of the default distribution of ES 8.x (data_cold c, data
	// d, data_frozen f, data_hot h, ingest i, ml l, master m,
	// remote_cluster_client r, data_content s, transform t, data_warm w).
	nodeRoles = "cdfhilmrstw"
)

// diskState is the node's file system (NodeStats fs total): zero values
// are the defaults.
type diskState struct {
	total, avail int64
	set          bool
}

// Disk is the node's disk as _cat/allocation reports it: total and
// available bytes.
func (e *Emulator) Disk() (total, available int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.diskLocked()
}

func (e *Emulator) diskLocked() (int64, int64) {
	if !e.disk.set {
		return defaultDiskTotal, defaultDiskAvail
	}
	return e.disk.total, e.disk.avail
}

// SetDisk sets the node's disk: total and available bytes, available at
// most total.
func (e *Emulator) SetDisk(total, available int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.disk = diskState{total: total, avail: available, set: true}
}

// diskControl is PUT /_emulator/disk: {"total_bytes":N,"available_bytes":M};
// a field left out keeps its value.
func (e *Emulator) diskControl(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
	total, avail := e.Disk()
	if in.TotalBytes != nil {
		total = *in.TotalBytes
	}
	if in.AvailableBytes != nil {
		avail = *in.AvailableBytes
	}
	if total <= 0 || avail < 0 || avail > total {
		return nil, refuse(http.StatusBadRequest, "total_bytes must be above 0 and available_bytes between 0 and total_bytes")
	}
	e.SetDisk(total, avail)
	return diskAnswer(total, avail), nil
}

func diskAnswer(total, avail int64) obj {
	return obj{{"total_bytes", total}, {"available_bytes", avail}, {"used_bytes", total - avail}}
}

// storeSize is what the emulator reports as an index's store size
// (_cat/indices store.size, and its share of _cat/allocation
// disk.indices).
func storeSize(ix *index) int64 { return int64(225 + len(ix.docs)*512) }

// isDiskAPI says whether a path is _cat/allocation[/{nodes}] or
// _cluster/settings.
func isDiskAPI(seg []string) bool {
	return seg[0] == "_cat" && len(seg) >= 2 && len(seg) <= 3 && seg[1] == "allocation" ||
		len(seg) == 2 && seg[0] == "_cluster" && seg[1] == "settings"
}

// routeDisk routes the paths isDiskAPI takes. _cluster/settings is GET
// only: the emulator takes no PUT _cluster/settings, and answers it as an
// API it does not have (nil).
func (e *Emulator) routeDisk(seg []string, q queryParams, r *http.Request) *handler {
	if seg[0] == "_cluster" {
		if r.Method != http.MethodGet {
			return nil
		}
		return &handler{[]string{"GET"}, e.d.clusterSettingsParams(), func() (answer, *esError) { return e.clusterGetSettings(q) }}
	}
	nodes := ""
	if len(seg) == 3 {
		nodes = seg[2]
	}
	return &handler{[]string{"GET"}, e.d.allocationParams(), func() (answer, *esError) { return e.catAllocation(r, nodes, q) }}
}

// allocationColumns is RestAllocationAction.getTableWithHeader: 7.17 and
// OS 2.x have nine columns; ES 8.x adds node.role (8.9, shown by default
// since 8.12, elasticsearch#101753) and shards.undesired,
// write_load.forecast and disk.indices.forecast (8.14).
func (d *dialect) allocationColumns() []catColumn {
	product := "ES"
	if d.product == "OpenSearch" {
		product = d.product
	}
	cols := []catColumn{{name: "shards", aliases: "s", desc: "number of shards on node", right: true}}
	if d.allocationForecasts {
		cols = append(cols,
			catColumn{name: "shards.undesired", desc: "number of shards that are scheduled to be moved elsewhere in the cluster", right: true},
			catColumn{name: "write_load.forecast", aliases: "wlf,writeLoadForecast", desc: "sum of index write load forecasts", right: true},
			catColumn{name: "disk.indices.forecast", aliases: "dif,diskIndicesForecast", desc: "sum of shard size forecasts", right: true})
	}
	cols = append(cols,
		catColumn{name: "disk.indices", aliases: "di,diskIndices", desc: "disk used by " + product + " indices", right: true},
		catColumn{name: "disk.used", aliases: "du,diskUsed", desc: "disk used (total, not just " + product + ")", right: true},
		catColumn{name: "disk.avail", aliases: "da,diskAvail", desc: "disk available", right: true},
		catColumn{name: "disk.total", aliases: "dt,diskTotal", desc: "total capacity of all volumes", right: true},
		catColumn{name: "disk.percent", aliases: "dp,diskPercent", desc: "percent disk used", right: true},
		catColumn{name: "host", aliases: "h", desc: "host of node"},
		catColumn{name: "ip", desc: "ip of node"},
		catColumn{name: "node", aliases: "n", desc: "name of node"})
	if d.allocationForecasts {
		cols = append(cols, catColumn{name: "node.role", aliases: "r,role,nodeRole", desc: "node roles"})
	}
	return cols
}

// allocationParams are the parameters GET _cat/allocation takes: the cat
// API's, local and the master-node timeouts (and OpenSearch's timeout).
func (d *dialect) allocationParams() []string {
	p := params(catResponseParams, d.masterTimeouts, []string{"local"})
	if d.allocationTimeout {
		p = append(p, "timeout")
	}
	return p
}

// catAllocation answers GET _cat/allocation[/{nodes}]: a row for the node
// when the node expression selects it (default "data:true"). Every shard of
// the emulator is a started primary on the node, so there is no UNASSIGNED
// row.
func (e *Emulator) catAllocation(r *http.Request, nodes string, q queryParams) (answer, *esError) {
	if _, err := javaBool(q, "local"); err != nil {
		return answer{}, err
	}
	t := &catTable{cols: e.d.allocationColumns()}
	if nodes == "" {
		nodes = "data:true"
	}
	if e.selectsNode(splitCommas(nodes)) {
		t.rows = append(t.rows, e.allocationRow())
	}
	return t.render(r, q)
}

func (e *Emulator) allocationRow() []any {
	e.mu.Lock()
	total, avail := e.diskLocked()
	shards, indices := 0, int64(0)
	for _, ix := range e.indices {
		shards++
		indices += storeSize(ix)
	}
	e.mu.Unlock()
	used := total - avail
	// RestAllocationAction: disk.percent = used * 100 / (used + avail),
	// a short, integer division.
	row := []any{shards}
	if e.d.allocationForecasts {
		// NodeAllocationStats of a balanced single node: no undesired
		// shard, no write load; the size forecast of an index that is no
		// data stream is its size.
		row = append(row, 0, 0.0, byteSize(indices))
	}
	row = append(row, byteSize(indices), byteSize(used), byteSize(avail), byteSize(total),
		int(used*100/(used+avail)), nodeAddress, nodeAddress, nodeName)
	if e.d.allocationForecasts {
		row = append(row, nodeRoles)
	}
	return row
}

// selectsNode is DiscoveryNodes.resolveNodes for the one node: _all, *,
// _local, _master (and OpenSearch's _cluster_manager), its id, name,
// address, a simple wildcard of those, or role:true (role:false and
// attributes it does not have select nothing).
func (e *Emulator) selectsNode(exprs []string) bool {
	for _, x := range exprs {
		if role, value, ok := strings.Cut(x, ":"); ok {
			if value == "true" && contains(e.nodeRoleNames(), role) {
				return true
			}
			continue
		}
		switch x {
		case "_all", "_local", "_master":
			return true
		case "_cluster_manager":
			if e.d.product == "OpenSearch" {
				return true
			}
		}
		for _, v := range []string{e.nodeID, nodeName, nodeAddress} {
			if x == v || isPattern(x) && glob(x, v) {
				return true
			}
		}
	}
	return false
}

// nodeRoleNames are the node's roles as a node expression names them.
func (e *Emulator) nodeRoleNames() []string {
	if e.d.product == "OpenSearch" {
		return []string{"data", "ingest", "master", "cluster_manager", "remote_cluster_client"}
	}
	roles := []string{"data", "ingest", "master", "remote_cluster_client", "data_content", "data_hot", "data_warm", "data_cold",
		"data_frozen", "ml", "transform"}
	return roles
}
