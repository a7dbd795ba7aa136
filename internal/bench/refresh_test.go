// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// floor holds the framework's floor (internal/bench/floorprovider): a CLI
// configuration whose development overrides name the provider and the floor
// provider.
type floor struct {
	rc string
}

const floorRequired = "terraform {\n  required_providers {\n    floor = { source = \"bench/floor\" }\n  }\n}\nprovider \"floor\" {}\n"

func (h *harness) buildFloor() floor {
	dir := h.b.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-floor"), "./internal/bench/floorprovider")
	cmd.Dir = moduleRoot(h.b)
	if out, err := cmd.CombinedOutput(); err != nil {
		h.b.Fatalf("building the floor provider: %v\n%s", err, out)
	}
	rc := filepath.Join(h.b.TempDir(), ".terraformrc")
	writeFile(h.b, rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"optimize-tf/optimize\" = %q\n    \"bench/floor\" = %q\n  }\n  direct {}\n}\n",
		filepath.Dir(h.bin), dir))
	return floor{rc: rc}
}

func moduleRoot(b interface{ Fatal(...any) }) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		b.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// refreshAtScale: terraform plan -refresh-only of 1,000 and of 100 backups,
// each beside the same refresh of terraform_data (Terraform's own cost) and
// of the floor provider with optimize_backup's schema and with a tiny state
// (the framework's cost); the provider's peak memory during the 1,000-backup
// refresh, and the state's bytes per backup.
//
// TF_BENCH_REFRESH_NEWEST=1 runs them with the newest Terraform
// (TF_BENCH_TERRAFORM_NEWEST_PATH) instead of 1.8.5: Terraform 1.12+ also
// stores and sends each resource's identity.
func (h *harness) refreshAtScale() {
	fl := h.buildFloor()
	if os.Getenv("TF_BENCH_REFRESH_NEWEST") != "" {
		if h.newest == "" {
			h.b.Fatal("TF_BENCH_REFRESH_NEWEST needs TF_BENCH_TERRAFORM_NEWEST_PATH (make bench sets it)")
		}
		saved := h.terraform
		h.terraform = h.newest
		defer func() { h.terraform = saved }()
		h.add("refresh rows run with", h.newest, "TF_BENCH_REFRESH_NEWEST")
	}
	for _, n := range []int{1000, 100} {
		h.refreshRows(fl, n)
	}
}

func (h *harness) refreshRows(fl floor, n int) {
	srv := h.emulator(0)
	dir := h.workspace(srv.URL, n, "")
	h.tf(dir, "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))

	builtin := h.workspace(srv.URL, 0, fmt.Sprintf("resource \"terraform_data\" \"d\" {\n  count = %d\n  input = count.index\n}\n", n))
	h.tf(builtin, "apply", "-auto-approve")

	// The floor with optimize_backup's schema refreshes the provider's own
	// states, copied with their resource type renamed.
	full := h.floorWorkspace(dir, n, stateShape{})

	tiny := h.b.TempDir()
	writeFile(h.b, filepath.Join(tiny, "main.tf"), floorRequired+fmt.Sprintf("resource \"floor_tiny\" \"t\" {\n  count = %d\n  value = tostring(count.index)\n}\n", n))
	h.runRC(fl.rc, tiny, "apply", "-auto-approve")

	// Rounds alternate the four refreshes, so that a change in the
	// machine's load weighs on all of them alike; each figure is a median.
	// The refreshes of 100 take a fifth of a second each, so more rounds
	// cost little and steady a ratio whose goal is within a few percent.
	rounds := 5
	if n <= 100 {
		rounds = 11
	}
	runs := []func() time.Duration{
		func() time.Duration { return h.tf(dir, "plan", "-refresh-only") },
		func() time.Duration { return h.tf(builtin, "plan", "-refresh-only") },
		func() time.Duration { return h.runRC(fl.rc, full, "plan", "-refresh-only") },
		func() time.Duration { return h.runRC(fl.rc, tiny, "plan", "-refresh-only") },
	}
	// TF_BENCH_BASELINE_DIR: other builds of the provider (earlier
	// commits; directories separated as in PATH), each refreshing its own n
	// backups in the same rounds, for a before/after comparison measured in
	// one run.
	baselines := filepath.SplitList(os.Getenv("TF_BENCH_BASELINE_DIR"))
	for _, baseline := range baselines {
		rc := filepath.Join(h.b.TempDir(), ".terraformrc")
		writeFile(h.b, rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"optimize-tf/optimize\" = %q\n  }\n  direct {}\n}\n", baseline))
		old := h.workspace(h.emulator(0).URL, n, "")
		h.runRC(rc, old, "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))
		runs = append(runs, func() time.Duration { return h.runRC(rc, old, "plan", "-refresh-only") })
	}
	for _, run := range runs {
		run() // warm
	}
	srv.ResetRequests()
	times := make([][]time.Duration, len(runs))
	// The emulator runs in this process, on the cores Terraform and the
	// plugin use: its CPU during the provider's refreshes is charged to
	// their wall time, and is shown apart.
	var emulatorCPU time.Duration
	cpuMeasured := true
	for r := 0; r < rounds; r++ {
		for i, run := range runs {
			before, ok1 := processCPU()
			times[i] = append(times[i], run())
			after, ok2 := processCPU()
			if i == 0 {
				emulatorCPU += after - before
				cpuMeasured = cpuMeasured && ok1 && ok2
			}
		}
	}
	requests, _ := apiRequests(srv)
	wall, builtinWall, fullWall, tinyWall := medianOf(times[0]), medianOf(times[1]), medianOf(times[2]), medianOf(times[3])

	ratio := func(a, b time.Duration) string { return fmt.Sprintf("%.2f", float64(a)/float64(b)) }
	goal := fmt.Sprintf("goal: within 1.5x of %d terraform_data; ratio %s", n, ratio(wall, builtinWall))
	if n <= 100 {
		goal = fmt.Sprintf("goal: within 1.2x of the tiny-state floor; ratio %s (%s against terraform_data)", ratio(wall, tinyWall), ratio(wall, builtinWall))
	}
	h.add(fmt.Sprintf("refresh of %d backups (plan -refresh-only, median of %d)", n, rounds), ms(wall), goal)
	h.add("  Elasticsearch requests per backup per refresh", fmt.Sprintf("%.2f", float64(requests)/float64(rounds*n)), "1 (and GET / once per refresh, not counted here)")
	if cpuMeasured {
		h.add("  the emulator's CPU per refresh (in the benchmark's process)", ms(emulatorCPU/time.Duration(rounds)),
			"not the provider's: Elasticsearch runs elsewhere; here it shares the machine's cores with Terraform and the plugin")
	}
	h.add(fmt.Sprintf("  the same refresh of %d terraform_data", n), ms(builtinWall), "Terraform's own cost")
	h.add(fmt.Sprintf("  floor: %d resources of optimize_backup's schema, Read does nothing", n), ms(fullWall),
		fmt.Sprintf("the framework's cost of this state's shape; provider / floor %s", ratio(wall, fullWall)))
	h.add(fmt.Sprintf("  floor: %d resources of a tiny state (id, one string)", n), ms(tinyWall),
		fmt.Sprintf("the framework's least cost; provider / floor %s", ratio(wall, tinyWall)))

	for i, baseline := range baselines {
		t := medianOf(times[4+i])
		h.add(fmt.Sprintf("  the same refresh with the baseline build %s", baseline), ms(t),
			fmt.Sprintf("this build / baseline %s; against terraform_data %s", ratio(wall, t), ratio(t, builtinWall)))
	}
	if n >= 1000 {
		h.stateShapeRows(fl, dir, full, n)
		kib, profile := h.profiledRefresh(dir)
		h.add(fmt.Sprintf("  provider's peak memory during the %d-backup refresh", n), fmt.Sprintf("%.1f MiB", float64(kib)/1024),
			"largest of the plugin's starts (Terraform starts it 3 times per plan); peak RSS")
		if out := os.Getenv("TF_BENCH_PROFILE_OUT"); out != "" && profile != "" {
			data, err := os.ReadFile(profile) //nolint:gosec // the benchmark's own file
			if err == nil {
				err = os.WriteFile(out, data, 0o600)
			}
			if err != nil {
				h.b.Fatal(err)
			}
		}
		empty := h.workspace(srv.URL, 0, "")
		h.tf(empty, "apply", "-auto-approve")
		bytesPer := func(d string) float64 {
			return float64(fileSize(h.b, filepath.Join(d, "terraform.tfstate"))-fileSize(h.b, filepath.Join(empty, "terraform.tfstate"))) / float64(n)
		}
		h.add("  state file bytes per backup", fmt.Sprintf("%.0f B", bytesPer(dir)),
			fmt.Sprintf("%.0f B per terraform_data", bytesPer(builtin)))
	}
	// No destroy: the emulator and the workspace go with the benchmark.
}

// runRC runs terraform in dir with the CLI configuration rc.
func (h *harness) runRC(rc, dir string, args ...string) time.Duration {
	saved := h.rc
	h.rc = rc
	defer func() { h.rc = saved }()
	return h.tf(dir, args...)
}

// profiledRefresh runs one more refresh with the provider profiling itself
// (OPTIMIZE_BENCH_PROFILE_DIR): the largest peak RSS among its starts, and
// the CPU profile of that start.
func (h *harness) profiledRefresh(dir string) (int64, string) {
	pdir := h.b.TempDir()
	h.b.Setenv("OPTIMIZE_BENCH_PROFILE_DIR", pdir)
	h.tf(dir, "plan", "-refresh-only")
	_ = os.Unsetenv("OPTIMIZE_BENCH_PROFILE_DIR")
	entries, err := os.ReadDir(pdir)
	if err != nil {
		h.b.Fatal(err)
	}
	var peak int64
	profile := ""
	for _, e := range entries {
		pid, ok := strings.CutPrefix(e.Name(), "maxrss-")
		if !ok {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(pdir, e.Name())) //nolint:gosec // the benchmark's own file
		if err != nil {
			h.b.Fatal(err)
		}
		kib, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
		if err != nil {
			h.b.Fatal(err)
		}
		if kib > peak {
			peak, profile = kib, filepath.Join(pdir, "cpu-"+pid+".pprof")
		}
	}
	if peak == 0 {
		h.b.Fatal("the provider wrote no peak memory (OPTIMIZE_BENCH_PROFILE_DIR)")
	}
	return peak, profile
}

// stateShape is a part of optimize_backup's state left out of the
// full-shape floor (FLOOR_BACKUP_DROP, and the copied states).
type stateShape struct {
	label       string
	drop        []string // attributes
	dropPrivate bool     // the private state (the create token)
}

var stateShapes = []stateShape{
	{label: "without timeouts", drop: []string{"timeouts"}},
	{label: "without id", drop: []string{"id"}},
	{label: "without failure_reason", drop: []string{"failure_reason"}},
	{label: "without the private state (the create token)", dropPrivate: true},
	{label: "with backup_id and state only", drop: []string{"id", "repository_name", "optimize_version", "wait_for_completion", "timeouts", "failure_reason"}, dropPrivate: true},
}

// stateShapeRows: what each part of optimize_backup's state costs a
// refresh of n, as the full-shape floor with and without it. The
// differences are a few percent, below the spread of single runs, so each
// round runs the full-shape floor and every variant in turn and the rows
// give the median of the rounds' differences, in wall time and in CPU
// (Terraform's and the plugin's).
func (h *harness) stateShapeRows(fl floor, dir, full string, n int) {
	dirs := make([]string, len(stateShapes))
	for i, shape := range stateShapes {
		dirs[i] = h.floorWorkspace(dir, n, shape)
	}
	// refresh refreshes the floor in d with the attributes drop left out
	// of its schema (none for the full shape).
	refresh := func(d string, drop []string) (time.Duration, time.Duration) {
		h.b.Setenv("FLOOR_BACKUP_DROP", strings.Join(drop, ","))
		defer func() { _ = os.Unsetenv("FLOOR_BACKUP_DROP") }()
		wall := h.runRC(fl.rc, d, "plan", "-refresh-only")
		return wall, h.lastCPU
	}
	for i, shape := range stateShapes {
		refresh(dirs[i], shape.drop) // warm
	}
	const rounds = 7
	wallSaved := make([][]time.Duration, len(stateShapes))
	cpuSaved := make([][]time.Duration, len(stateShapes))
	for r := 0; r < rounds; r++ {
		for i, shape := range stateShapes {
			fullWall, fullCPU := refresh(full, nil)
			wall, cpu := refresh(dirs[i], shape.drop)
			wallSaved[i] = append(wallSaved[i], fullWall-wall)
			cpuSaved[i] = append(cpuSaved[i], fullCPU-cpu)
		}
	}
	for i, shape := range stateShapes {
		h.add(fmt.Sprintf("  floor: optimize_backup's schema %s", shape.label),
			fmt.Sprintf("%s, %s CPU", ms(medianOf(wallSaved[i])), ms(medianOf(cpuSaved[i]))),
			fmt.Sprintf("what it saves against the full-shape floor (median of %d paired refreshes)", rounds))
	}
}

// floorWorkspace is a directory where floor_backup holds the n backups of
// the provider's workspace dir, without what shape leaves out.
func (h *harness) floorWorkspace(dir string, n int, shape stateShape) string {
	d := h.b.TempDir()
	writeFile(h.b, filepath.Join(d, "main.tf"), floorRequired+fmt.Sprintf("resource \"floor_backup\" \"b\" {\n  count     = %d\n  backup_id = tostring(count.index + 1)\n}\n", n))
	h.copyStateToFloor(filepath.Join(dir, "terraform.tfstate"), filepath.Join(d, "terraform.tfstate"), shape)
	return d
}

// copyStateToFloor copies an optimize_backup state as floor_backup's,
// without what shape leaves out.
func (h *harness) copyStateToFloor(from, to string, shape stateShape) {
	raw, err := os.ReadFile(from) //nolint:gosec // the benchmark's own file
	if err != nil {
		h.b.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal(raw, &state); err != nil {
		h.b.Fatal(err)
	}
	for _, r := range state["resources"].([]any) {
		r := r.(map[string]any)
		r["type"] = "floor_backup"
		r["provider"] = `provider["registry.terraform.io/bench/floor"]`
		for _, inst := range r["instances"].([]any) {
			inst := inst.(map[string]any)
			for _, name := range shape.drop {
				delete(inst["attributes"].(map[string]any), name)
			}
			if shape.dropPrivate {
				delete(inst, "private")
			}
		}
	}
	out, err := json.Marshal(state)
	if err != nil {
		h.b.Fatal(err)
	}
	writeFile(h.b, to, string(out))
}

func fileSize(b interface{ Fatal(...any) }, p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	return st.Size()
}

func medianOf(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
