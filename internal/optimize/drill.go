// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A restore drill proves, on the live cluster and without touching the
// installation, that a backup restores: every index of both parts is
// restored under a scratch prefix (DrillPrefix), checked, and deleted again
// on every way out. The scratch prefix is not under any installation's
// "<index_prefix>-", so no Optimize reads the restored indices, and no
// backup of an installation takes them.

// DrillCluster is what a drill needs of the engine beside Cluster.
type DrillCluster interface {
	Cluster
	// SnapshotSize is the size in bytes of a snapshot's files (its _status).
	SnapshotSize(ctx context.Context, repository, name string) (int64, error)
	// Disk is the nodes' disk and the engine's high disk watermark.
	Disk(ctx context.Context) (Disk, error)
	// IndexStats lists the indices matching pattern, with their documents
	// and health; none is not an error.
	IndexStats(ctx context.Context, pattern string) ([]IndexStat, error)
	// RestoreRenamed restores exactly indices of a snapshot, each renamed by
	// renamePattern and replacement (the engine's regular expression rule),
	// without aliases, global state or replicas, and returns once they are
	// restored.
	RestoreRenamed(ctx context.Context, repository, name string, indices []string, renamePattern, replacement string) (RestoreSnapshotResult, error)
}

// Disk is the data nodes' disk space as the engine reports it.
type Disk struct {
	Nodes []NodeDisk
	// HighWatermark is cluster.routing.allocation.disk.watermark.high: a
	// percentage or ratio of used disk ("90%", "0.9"), or the free space
	// to keep ("50gb"). Above it, the engine allocates no shard to the node.
	HighWatermark string
	// HighMaxHeadroom is cluster.routing.allocation.disk.watermark.high.max_headroom
	// in bytes (Elasticsearch 8): a percentage or ratio watermark keeps at
	// most this much free. -1 (or 0 from a Disk without it): no headroom.
	HighMaxHeadroom int64
}

// NodeDisk is one node's disk.
type NodeDisk struct {
	Name             string
	Total, Available int64 // bytes
}

// IndexStat is an index's documents and health.
type IndexStat struct {
	Index  string
	Docs   int64
	Health string // green, yellow, red
}

// DrillRequest says which backup to drill.
type DrillRequest struct {
	ID          BackupID
	Repository  string
	IndexPrefix string // the installation's, for the live document counts; defaults to DefaultIndexPrefix
	// Prefix is the scratch prefix; empty is DrillPrefix(ID).
	Prefix   string
	Progress func(message string)
	// Stop, when closed, stops the drill before its next restore (Ctrl-C):
	// the restore the engine is carrying out is waited for, and every
	// scratch index is deleted.
	Stop <-chan struct{}
}

// DrillPrefix is the scratch prefix of a drill of backup id, "drill-<id>-":
// index optimize-report_v8 comes back as drill-<id>-optimize-report_v8.
// ("optimize-drill-<id>-" would be under the default installation's
// prefix.)
func DrillPrefix(id BackupID) string { return "drill-" + string(id) + "-" }

// DrilledIndex is one index of the backup as the drill found it.
type DrilledIndex struct {
	Part       int
	Index      string // as in the backup
	Scratch    string // its scratch copy
	DocsBackup int64  // documents of the scratch copy (the backup's)
	// DocsLive are the live index's documents; -1 when the installation has
	// no index of that name any more.
	DocsLive int64
}

// DrillResult is what a drill found.
type DrillResult struct {
	Backup  Backup
	Version string // the restored metadata index's schemaVersion
	Indices []DrilledIndex
	// Deleted are the scratch indices deleted at the end (all of them on
	// success).
	Deleted  []string
	Duration time.Duration
}

// DrillRefusedError: a check before the drill failed; nothing was written.
type DrillRefusedError struct {
	ID     BackupID
	Reason string
}

func (e *DrillRefusedError) Error() string {
	return fmt.Sprintf("backup %q cannot be drilled, nothing was written: %s", e.ID, e.Reason)
}

// DrillFailedError: the backup did not restore as it should. The scratch
// indices were deleted (Leftover: those that could not be).
type DrillFailedError struct {
	ID       BackupID
	Problems []string
	Leftover []string
	Err      error // a failed request, if that is what stopped it
}

func (e *DrillFailedError) Error() string {
	msg := fmt.Sprintf("the drill of backup %q failed: %s", e.ID, strings.Join(e.Problems, "; "))
	if e.Err != nil {
		msg += fmt.Sprintf(" (%v)", e.Err)
	}
	return msg
}

func (e *DrillFailedError) Unwrap() error { return e.Err }

// DrillLeftoverError: the drill could not delete scratch indices it
// restored; the request that deletes them is given.
type DrillLeftoverError struct {
	ID       BackupID
	Leftover []string
	Err      error // why deleting failed
	Cause    error // the drill's own error, if any
}

func (e *DrillLeftoverError) Error() string {
	msg := fmt.Sprintf("the scratch indices of the drill of backup %q are still in the cluster: deleting them failed (%v). Delete them: DELETE /%s",
		e.ID, e.Err, strings.Join(e.Leftover, ","))
	if e.Cause != nil {
		msg += fmt.Sprintf(". Before that, the drill failed: %v", e.Cause)
	}
	return msg
}

func (e *DrillLeftoverError) Unwrap() []error { return []error{e.Err, e.Cause} }

// Drill restores backup req.ID under a scratch prefix, checks it and
// deletes the scratch indices again, on every way out once one may exist.
func Drill(ctx context.Context, c DrillCluster, req DrillRequest) (res DrillResult, err error) {
	start := time.Now()
	req.defaults()
	s := &Service{Cluster: c}
	plan, err := drillChecks(ctx, s, c, req)
	backup, names := plan.Backup, plan.Scratch
	res.Backup = backup
	if err != nil {
		return res, err
	}
	defer func() {
		res.Duration = time.Since(start)
		deleted, derr := deleteScratch(context.WithoutCancel(ctx), c, req.Prefix, names)
		res.Deleted = deleted
		if derr != nil {
			err = &DrillLeftoverError{ID: req.ID, Leftover: leftover(names, deleted), Err: derr, Cause: err}
		}
	}()
	for i, snap := range backup.Snapshots {
		if stopped(req.Stop) {
			return res, &DrillFailedError{ID: req.ID, Problems: []string{"interrupted (Ctrl-C) before part " + strconv.Itoa(i+1)}, Err: ErrInterrupted}
		}
		req.Progress(fmt.Sprintf("restoring part %d of %d (snapshot %s, %d indices) under %s", i+1, len(backup.Snapshots), snap.Name, len(snap.Indices), req.Prefix))
		r, err := c.RestoreRenamed(ctx, req.Repository, snap.Name, snap.Indices, "(.+)", req.Prefix+"$1")
		if err == nil && r.ShardsFailed > 0 {
			err = fmt.Errorf("%d of %d shards failed to restore%s", r.ShardsFailed, r.ShardsTotal, redIndices(ctx, c, req.Prefix, snap.Indices))
		}
		if err != nil {
			return res, &DrillFailedError{ID: req.ID, Problems: []string{fmt.Sprintf("part %d (snapshot %s) did not restore", i+1, snap.Name)}, Err: err}
		}
	}
	res.Version, res.Indices, err = drillVerify(ctx, s, c, req, backup)
	return res, err
}

// redIndices names the part's indices whose restored copy is red (the
// restore's answer counts failed shards without naming them):
// ": optimize-report_v8 (as drill-7-optimize-report_v8) is red".
func redIndices(ctx context.Context, c DrillCluster, prefix string, indices []string) string {
	stats, err := c.IndexStats(ctx, prefix+"*")
	if err != nil {
		return ""
	}
	var red []string
	for _, st := range stats {
		if ix, ok := strings.CutPrefix(st.Index, prefix); ok && st.Health == "red" && slices.Contains(indices, ix) {
			red = append(red, fmt.Sprintf("%s (as %s)", ix, st.Index))
		}
	}
	if len(red) == 0 {
		return ""
	}
	return ": red, its primary shard not restored: " + strings.Join(red, ", ")
}

func (req *DrillRequest) defaults() {
	if req.IndexPrefix == "" {
		req.IndexPrefix = DefaultIndexPrefix
	}
	if req.Prefix == "" {
		req.Prefix = DrillPrefix(req.ID)
	}
	if req.Progress == nil {
		req.Progress = func(string) {}
	}
}

// DrillPlan is what a drill's checks found: the backup, the scratch names
// of its indices, the snapshots' size and the nodes' room.
type DrillPlan struct {
	Backup    Backup
	Prefix    string
	Scratch   []string
	Size      int64 // bytes of the snapshots
	Room      int64 // bytes the nodes take below the high watermark
	Watermark string
}

// PreviewDrill runs the drill's checks with read requests only: what the
// drill would restore, or why it would refuse.
func PreviewDrill(ctx context.Context, c DrillCluster, req DrillRequest) (DrillPlan, error) {
	req.defaults()
	return drillChecks(ctx, &Service{Cluster: c}, c, req)
}

// drillChecks are the checks before any write: the backup is COMPLETED,
// no scratch index exists, the disk takes a copy.
func drillChecks(ctx context.Context, s *Service, c DrillCluster, req DrillRequest) (DrillPlan, error) {
	plan := DrillPlan{Prefix: req.Prefix}
	if err := ValidateBackupID(string(req.ID)); err != nil {
		return plan, err
	}
	if err := ValidateDrillPrefix(req.Prefix, req.IndexPrefix); err != nil {
		return plan, &DrillRefusedError{ID: req.ID, Reason: err.Error()}
	}
	backup, err := s.Get(ctx, req.Repository, req.ID)
	plan.Backup = backup
	if err != nil {
		return plan, err
	}
	if backup.State != StateCompleted {
		return plan, &DrillRefusedError{ID: req.ID, Reason: fmt.Sprintf("it is %s, not COMPLETED: %s", backup.State, backup.FailureReason)}
	}
	for _, snap := range backup.Snapshots {
		for _, ix := range snap.Indices {
			plan.Scratch = append(plan.Scratch, req.Prefix+ix)
		}
		n, err := c.SnapshotSize(ctx, req.Repository, snap.Name)
		if err != nil {
			return plan, fmt.Errorf("reading the size of snapshot %s: %w", snap.Name, err)
		}
		plan.Size += n
	}
	if err := drillRoom(ctx, c, req, &plan); err != nil {
		return plan, err
	}
	req.Progress(fmt.Sprintf("backup %s is COMPLETED (%s in %d snapshots); %s free below the high watermark (%s)", req.ID, BytesText(plan.Size), len(backup.Snapshots), BytesText(plan.Room), plan.Watermark))
	return plan, nil
}

// drillRoom refuses leftovers under the scratch prefix and a copy the
// nodes' disk cannot take below the high watermark.
func drillRoom(ctx context.Context, c DrillCluster, req DrillRequest, plan *DrillPlan) error {
	existing, err := c.Indices(ctx, req.Prefix+"*")
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return &DrillRefusedError{ID: req.ID, Reason: fmt.Sprintf("indices under its scratch prefix %s exist already (%s): a drill running elsewhere, or one whose indices were left; "+
			"the drill deletes only what it restored, so it does not start. Delete them once no drill runs: DELETE /%s", req.Prefix, strings.Join(existing, ", "), strings.Join(existing, ","))}
	}
	disk, err := c.Disk(ctx)
	if err != nil {
		return fmt.Errorf("reading the nodes' disk space: %w", err)
	}
	plan.Watermark = disk.HighWatermark
	if plan.Room, err = disk.Room(); err != nil {
		return fmt.Errorf("reading the nodes' disk space: %w", err)
	}
	if plan.Size > plan.Room {
		return &DrillRefusedError{ID: req.ID, Reason: fmt.Sprintf("its snapshots hold %s, and the nodes have %s free below the high disk watermark (%s): "+
			"a copy would push them over it, where the engine stops allocating shards. Free disk, or drill on a cluster with room", BytesText(plan.Size), BytesText(plan.Room), disk.HighWatermark)}
	}
	return nil
}

// drillVerify checks what was restored: every index came back, healthy,
// and the metadata index says the backup's version; with the documents of
// each and of the live index.
func drillVerify(ctx context.Context, s *Service, c DrillCluster, req DrillRequest, backup Backup) (string, []DrilledIndex, error) {
	restored, err := c.IndexStats(ctx, req.Prefix+"*")
	if err != nil {
		return "", nil, &DrillFailedError{ID: req.ID, Problems: []string{"the restored indices could not be read"}, Err: err}
	}
	live, err := c.IndexStats(ctx, req.IndexPrefix+"-*")
	if err != nil {
		return "", nil, &DrillFailedError{ID: req.ID, Problems: []string{"the installation's indices could not be read"}, Err: err}
	}
	byName := func(stats []IndexStat) map[string]IndexStat {
		m := map[string]IndexStat{}
		for _, st := range stats {
			m[st.Index] = st
		}
		return m
	}
	got, now := byName(restored), byName(live)
	var problems []string
	var out []DrilledIndex
	for i, snap := range backup.Snapshots {
		for _, ix := range snap.Indices {
			d := DrilledIndex{Part: i + 1, Index: ix, Scratch: req.Prefix + ix, DocsLive: -1}
			st, ok := got[d.Scratch]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("index %s of part %d did not come back (no %s)", ix, i+1, d.Scratch))
			case st.Health == "red":
				problems = append(problems, fmt.Sprintf("index %s of part %d came back red (primary shards not active)", ix, i+1))
			}
			d.DocsBackup = st.Docs
			if l, ok := now[ix]; ok {
				d.DocsLive = l.Docs
			}
			out = append(out, d)
		}
	}
	version, verr := drillVersion(ctx, s, req, backup)
	switch {
	case verr != nil:
		problems = append(problems, verr.Error())
	case version != backup.Version:
		problems = append(problems, fmt.Sprintf("the restored metadata index says Optimize %s, the snapshot names %s", version, backup.Version))
	}
	if len(problems) > 0 {
		return version, out, &DrillFailedError{ID: req.ID, Problems: problems}
	}
	return version, out, nil
}

// metadataPhysical: the metadata index's physical name (<prefix>-metadata or
// <prefix>-metadata_v3).
var metadataPhysical = regexp.MustCompile(`-metadata(_v[0-9]+)?$`)

// drillVersion is the schemaVersion of the restored metadata index.
func drillVersion(ctx context.Context, s *Service, req DrillRequest, backup Backup) (string, error) {
	want := MetadataIndex(req.IndexPrefix)
	for _, snap := range backup.Snapshots {
		for _, ix := range snap.Indices {
			if !strings.HasPrefix(ix, want) || !metadataPhysical.MatchString(ix) {
				continue
			}
			doc, err := s.Cluster.Document(ctx, req.Prefix+ix, metadataDocumentID)
			if err != nil {
				return "", fmt.Errorf("the restored metadata index %s could not be read: %w", req.Prefix+ix, err)
			}
			v, _ := doc["schemaVersion"].(string)
			if v == "" {
				return "", fmt.Errorf("the restored metadata index %s has no schemaVersion", req.Prefix+ix)
			}
			return NormalizeVersion(v)
		}
	}
	return "", fmt.Errorf("the backup holds no metadata index (%s)", want)
}

// deleteScratch deletes, by exact name, the scratch indices among names
// that exist now.
func deleteScratch(ctx context.Context, c DrillCluster, prefix string, names []string) ([]string, error) {
	existing, err := c.Indices(ctx, prefix+"*")
	if err != nil {
		return nil, err
	}
	var ours []string
	for _, n := range existing {
		if slices.Contains(names, n) {
			ours = append(ours, n)
		}
	}
	if len(ours) == 0 {
		return nil, nil
	}
	if err := c.DeleteIndices(ctx, ours); err != nil {
		return nil, err
	}
	return ours, nil
}

func leftover(names, deleted []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(deleted, n) {
			out = append(out, n)
		}
	}
	return out
}

// ValidateDrillPrefix refuses a scratch prefix that an installation would
// read or back up (under "<index_prefix>-"), or that the engine refuses.
func ValidateDrillPrefix(prefix, indexPrefix string) error {
	if prefix == "" || strings.ToLower(prefix) != prefix || strings.ContainsAny(prefix, `\/*?"<>| ,#:`) || strings.HasPrefix(prefix, "-") ||
		strings.HasPrefix(prefix, "_") || strings.HasPrefix(prefix, "+") || strings.HasPrefix(prefix, ".") {
		return fmt.Errorf("scratch prefix %q is not a valid start of an index name (lowercase, no \\ / * ? \" < > | , # : or space, not starting with -, _, + or .)", prefix)
	}
	if strings.HasPrefix(prefix+indexPrefix+"-", indexPrefix+"-") {
		return fmt.Errorf("scratch prefix %q overlaps the installation's index prefix %q: its indices would be read and backed up as the installation's", prefix, indexPrefix)
	}
	return nil
}

// Room is the space the nodes can take before any passes the high
// watermark, in bytes (a node already above it adds none).
func (d Disk) Room() (int64, error) {
	wm := strings.TrimSpace(strings.ToLower(d.HighWatermark))
	var room int64
	for _, n := range d.Nodes {
		var r int64
		switch {
		case strings.HasSuffix(wm, "%"):
			p, err := strconv.ParseFloat(strings.TrimSuffix(wm, "%"), 64)
			if err != nil {
				return 0, fmt.Errorf("high watermark %q: %w", d.HighWatermark, err)
			}
			r = n.Available - d.keepFree(n.Total, p)
		default:
			if f, err := strconv.ParseFloat(wm, 64); err == nil && f <= 1 {
				r = n.Available - d.keepFree(n.Total, f*100)
				break
			}
			b, err := ParseBytes(wm)
			if err != nil {
				return 0, fmt.Errorf("high watermark %q: %w", d.HighWatermark, err)
			}
			r = n.Available - b
		}
		room += max(r, 0)
	}
	return room, nil
}

// keepFree is the free space a relative high watermark (percent of the
// disk used) keeps on a disk of total bytes: Elasticsearch's
// RelativeByteSizeValue.calculateValue gives the used bytes,
// ceil(total * percent / 100), raised to total - max_headroom when a
// headroom is set, and DiskThresholdSettings.getFreeBytesThresholdHighStage
// keeps total minus that free.
func (d Disk) keepFree(total int64, percent float64) int64 {
	used := int64(math.Ceil(float64(total) * percent / 100))
	if d.HighMaxHeadroom > 0 {
		used = max(used, total-d.HighMaxHeadroom)
	}
	return total - used
}

// ParseBytes reads the engines' byte sizes: 500b, 10kb, 50mb, 2gb, 1tb, 1pb.
func ParseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		factor int64
	}{{"pb", 1 << 50}, {"tb", 1 << 40}, {"gb", 1 << 30}, {"mb", 1 << 20}, {"kb", 1 << 10}, {"b", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil {
				return 0, err
			}
			return int64(f * float64(u.factor)), nil
		}
	}
	return 0, errors.New("not a percentage, ratio or byte size")
}

// BytesText writes a size as the engines do (1.5gb).
func BytesText(n int64) string {
	units := []string{"b", "kb", "mb", "gb", "tb", "pb"}
	f, i := float64(n), 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%db", n)
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + units[i]
}
