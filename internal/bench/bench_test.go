// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package bench measures the provider against the emulator with the real
// Terraform CLI: `make bench` runs BenchmarkProvider once and prints one
// table, each figure beside the ideal it is held against.
package bench

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

const (
	repository  = acctest.Repository
	version     = acctest.OptimizeVersion
	parallelism = 10 // Terraform's default -parallelism
)

type row struct{ measure, figure, ideal string }

type harness struct {
	lastCPU   time.Duration // CPU of the last command run, its plugins included
	b         *testing.B
	terraform string
	newest    string // Terraform 1.14+, for terraform query and actions; empty: those rows are skipped
	bin       string // the provider binary
	rc        string // CLI configuration with a dev override for the provider
	rows      []row
}

func BenchmarkProvider(b *testing.B) {
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		b.Skip("set TF_ACC_TERRAFORM_PATH (make bench does)")
	}
	h := &harness{b: b, terraform: terraform, newest: os.Getenv("TF_BENCH_TERRAFORM_NEWEST_PATH")}
	h.build()
	only := os.Getenv("TF_BENCH_ONLY") // one group of rows: refresh, policy, signing, platform, drill
	for i := 0; i < b.N; i++ {
		h.rows = nil
		if only == "" {
			h.requestCounts()
			h.engineRequestCounts()
			h.refreshHundred()
		}
		if only == "" || only == "refresh" {
			h.refreshAtScale()
		}
		if only == "" {
			h.createOverhead()
			h.restore()
			h.startup()
			h.listing()
		}
		if only == "" || only == "policy" {
			h.policy()
		}
		if only == "" || only == "signing" {
			h.signing()
		}
		if only == "" || only == "platform" {
			h.platform()
		}
		if only == "" || only == "drill" {
			h.drill()
		}
	}
	h.print()
}

func (h *harness) add(measure, figure, ideal string) {
	h.rows = append(h.rows, row{measure, figure, ideal})
}

func (h *harness) print() {
	w := [3]int{len("measure"), len("figure"), len("ideal")}
	for _, r := range h.rows {
		w[0], w[1], w[2] = max(w[0], len(r.measure)), max(w[1], len(r.figure)), max(w[2], len(r.ideal))
	}
	line := func(a, b, c string) { fmt.Printf("| %-*s | %*s | %-*s |\n", w[0], a, w[1], b, w[2], c) }
	fmt.Println()
	line("measure", "figure", "ideal")
	fmt.Printf("|%s|%s|%s|\n", strings.Repeat("-", w[0]+2), strings.Repeat("-", w[1]+2), strings.Repeat("-", w[2]+2))
	for _, r := range h.rows {
		line(r.measure, r.figure, r.ideal)
	}
	fmt.Println()
}

// build compiles the provider and writes a CLI configuration that uses it.
func (h *harness) build() {
	h.bin = filepath.Join(acctest.ProviderBinary(h.b), "terraform-provider-optimize")
	h.rc = acctest.CLIConfig(h.b)
	if dir := os.Getenv("TF_BENCH_PROVIDER_DIR"); dir != "" {
		// Another build of the provider (an earlier commit, for a
		// before/after comparison).
		h.bin = filepath.Join(dir, "terraform-provider-optimize")
		h.rc = filepath.Join(h.b.TempDir(), ".terraformrc")
		writeFile(h.b, h.rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"optimize-tf/optimize\" = %q\n  }\n  direct {}\n}\n", dir))
	}
}

// emulator starts an emulator with an Optimize installation and a repository.
func (h *harness) emulator(snapshotDuration time.Duration) *esemulator.Server {
	return acctest.StartEmulator(h.b, acctest.WithSnapshotDuration(snapshotDuration))
}

// workspace writes a configuration with n backups (ids 1..n) against url.
func (h *harness) workspace(url string, n int, extra string) string {
	dir := h.b.TempDir()
	cfg := acctest.RequiredProviders + acctest.ProviderConfig(url)
	if n > 0 {
		cfg += fmt.Sprintf(`
resource "optimize_backup" "b" {
  count     = %d
  backup_id = tostring(count.index + 1)
}
`, n)
	}
	writeFile(h.b, filepath.Join(dir, "main.tf"), cfg+extra)
	return dir
}

// tf runs terraform in dir and returns how long it took.
func (h *harness) tf(dir string, args ...string) time.Duration {
	return h.run(h.terraform, dir, append(args, "-input=false")...)
}

// run runs the CLI bin in dir and returns how long it took.
func (h *harness) run(bin, dir string, args ...string) time.Duration {
	cmd := exec.Command(bin, append(args, "-no-color")...)
	cmd.Dir = dir
	cmd.Env = acctest.CLIEnv(h.rc)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		h.b.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	// Terraform's CPU and its plugins' (the children it waited for).
	h.lastCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return d
}

// requestCounts: Elasticsearch requests per create, per refresh, per destroy.
func (h *harness) requestCounts() {
	srv := h.emulator(0)
	dir := h.workspace(srv.URL, 1, "")
	srv.ResetRequests()
	h.tf(dir, "apply", "-auto-approve")
	h.add("Elasticsearch requests per create", withDetect(apiRequests(srv)),
		"7 + 2 GET /: version (at plan, for the id rule), then repository, existing backup, version again, indices, part 1, part 2; the engine detection once per provider process (plan, apply)")
	srv.ResetRequests()
	h.tf(dir, "plan", "-refresh-only")
	h.add("Elasticsearch requests per backup per refresh", withDetect(apiRequests(srv)), "1 + 1 GET /")
	srv.ResetRequests()
	h.tf(dir, "destroy", "-auto-approve")
	h.add("Elasticsearch requests per destroy", withDetect(apiRequests(srv)),
		"3 + 2 GET /: the refresh destroy starts with, then list the backup's snapshots, delete them by name")
}

// refreshHundred: refresh of 100 backups with 20 ms added latency per request.
func (h *harness) refreshHundred() {
	const n, latency = 100, 20 * time.Millisecond
	srv := h.emulator(0)
	dir := h.workspace(srv.URL, n, "")
	h.tf(dir, "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))
	empty := h.workspace(srv.URL, 0, "")
	h.tf(empty, "plan") // warm
	baseline := median(3, func() time.Duration { return h.tf(empty, "plan", "-refresh-only") })
	noLatency := median(3, func() time.Duration { return h.tf(dir, "plan", "-refresh-only") })
	// Terraform's own cost of 100 resources, with a builtin resource.
	builtin := h.workspace(srv.URL, 0, fmt.Sprintf("resource \"terraform_data\" \"d\" {\n  count = %d\n  input = count.index\n}\n", n))
	h.tf(builtin, "apply", "-auto-approve")
	builtinWall := median(3, func() time.Duration { return h.tf(builtin, "plan", "-refresh-only") })
	srv.SetLatency(latency)
	srv.ResetRequests()
	wall := median(3, func() time.Duration { return h.tf(dir, "plan", "-refresh-only") })
	srv.SetLatency(0)
	ideal := time.Duration(math.Ceil(float64(n)/parallelism))*latency + baseline
	h.add(fmt.Sprintf("refresh of %d backups, +%s per request (median of 3)", n, latency), ms(wall),
		fmt.Sprintf("%s = ceil(%d/%d) x %s + %s (plan with no resources); ratio %.2f", ms(ideal), n, parallelism, latency, ms(baseline), float64(wall)/float64(ideal)))
	h.add("  requests sent by those 3 refreshes", withDetect(apiRequests(srv)), fmt.Sprintf("%d + 3 GET /", 3*n))
	h.add("  the same refresh without added latency (median of 3)", ms(noLatency),
		fmt.Sprintf("%s: the same refresh of %d terraform_data resources (Terraform's own cost)", ms(builtinWall), n))
	h.add("  what the latency added", ms(wall-noLatency),
		fmt.Sprintf("%s = ceil(%d/%d) x %s", ms(time.Duration(math.Ceil(float64(n)/parallelism))*latency), n, parallelism, latency))
	h.tf(dir, "destroy", "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))
}

// createOverhead: apply wall time beyond the snapshots' own time, against
// the same backup taken with curl from a terraform_data.
func (h *harness) createOverhead() {
	const snap = 2 * time.Second
	srv := h.emulator(snap)
	dir := h.workspace(srv.URL, 1, "")
	h.tf(dir, "plan") // warm: no init, the provider is a development override
	srv.ResetRequests()
	apply := h.tf(dir, "apply", "-auto-approve")
	statusRequests := 0
	for _, r := range srv.Requests() {
		if r.Method == "GET" && strings.HasPrefix(r.Path, "/_snapshot/"+repository+"/camunda_optimize_") {
			statusRequests++
		}
	}
	h.add("create: apply wall time", ms(apply), fmt.Sprintf("%s (two snapshots of %s each)", ms(2*snap), snap))
	h.add("create: overhead (apply minus snapshot time)", ms(apply-2*snap), "Terraform's own start and plan; see the curl row")
	h.add("create: status requests while waiting", fmt.Sprint(statusRequests-1),
		"0: the create waits with wait_for_completion=true (1 GET before, for an existing backup)")

	// The provider's own notice delay, without Terraform around it.
	lag := h.noticeLag(srv, snap)
	h.add("create: completion noticed after it happened", fmt.Sprintf("%.1f ms", float64(lag.Microseconds())/1000), "< 100 ms")

	curlDir := h.b.TempDir()
	writeFile(h.b, filepath.Join(curlDir, "main.tf"), curlConfig(srv.URL))
	srv.ResetRequests()
	curl := h.tf(curlDir, "apply", "-auto-approve")
	h.add("same backup with terraform_data + local-exec curl: apply", ms(curl), "")
	h.add("  ratio provider / curl on apply time", fmt.Sprintf("%.2f", float64(apply)/float64(curl)), "1.00")
	h.tf(dir, "destroy", "-auto-approve")
}

// noticeLag takes a backup through the domain service directly and reports
// how long after the second snapshot ended Create returned.
func (h *harness) noticeLag(srv *esemulator.Server, snap time.Duration) time.Duration {
	client := newClient(h.b, srv.URL)
	svc := &optimize.Service{Cluster: client}
	if _, err := svc.Create(context.Background(), optimize.CreateRequest{ID: "notice", Repository: repository, WaitForCompletion: true}); err != nil {
		h.b.Fatal(err)
	}
	returned := time.Now()
	s, ok := srv.Snapshot(repository, optimize.SnapshotName("notice", version, 2))
	if !ok {
		h.b.Fatal("part 2 missing")
	}
	return returned.Sub(s.End)
}

func curlConfig(url string) string {
	put := func(name, indices string) string {
		return fmt.Sprintf(`curl -sf -X PUT '%s/_snapshot/%s/%s?wait_for_completion=true' -H 'Content-Type: application/json' -d '{"indices":"%s","include_global_state":false}' >/dev/null`,
			url, repository, name, indices)
	}
	cmd := put("camunda_optimize_curl_3.9.0_part_1_of_2", "optimize-import-index,optimize-timestamp-based-import-index,optimize-position-based-import-index") +
		" && " + put("camunda_optimize_curl_3.9.0_part_2_of_2", "optimize-*,-optimize-import-index*,-optimize-timestamp-based-import-index*,-optimize-position-based-import-index*")
	return fmt.Sprintf(`resource "terraform_data" "backup" {
  provisioner "local-exec" {
    command = %q
  }
}
`, cmd)
}

// startup: binary size, and the time from process start to the answer of
// the first gRPC call (the plugin health check Terraform makes).
func (h *harness) startup() {
	st, err := os.Stat(h.bin)
	if err != nil {
		h.b.Fatal(err)
	}
	h.add("provider binary size", fmt.Sprintf("%.1f MiB", float64(st.Size())/(1<<20)), "")
	d := median(5, func() time.Duration { return h.firstCall() })
	h.add("process start to first gRPC answer (median of 5)", ms(d), "")
}

func (h *harness) firstCall() time.Duration {
	cmd := exec.Command(h.bin)
	cmd.Env = append(os.Environ(),
		"TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
		"PLUGIN_PROTOCOL_VERSIONS=6")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		h.b.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		h.b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		h.b.Fatalf("reading the plugin handshake: %v", err)
	}
	// 1|6|unix|/tmp/plugin123|grpc|
	parts := strings.Split(strings.TrimSpace(line), "|")
	if len(parts) < 4 {
		h.b.Fatalf("unexpected handshake %q", line)
	}
	network, addr := parts[2], parts[3]
	conn, err := grpc.NewClient("passthrough:///"+addr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(ctx context.Context, a string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, a)
		}))
	if err != nil {
		h.b.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: "plugin"}); err != nil {
		h.b.Fatalf("health check: %v", err)
	}
	return time.Since(start)
}

// listing: the optimize_backups data source and terraform query over 1,000
// backups (2,000 snapshots), each against the same command with nothing to
// list.
func (h *harness) listing() {
	const n = 1000
	full, empty := h.emulator(0), h.emulator(0)
	svc := &optimize.Service{Cluster: newClient(h.b, full.URL)}
	for i := 1; i <= n; i++ {
		if _, err := svc.Create(context.Background(), optimize.CreateRequest{
			ID: optimize.BackupID(fmt.Sprint(i)), Repository: repository, Version: version, WaitForCompletion: true,
		}); err != nil {
			h.b.Fatal(err)
		}
	}
	dataSource := "data \"optimize_backups\" \"all\" {}\noutput \"count\" { value = length(data.optimize_backups.all.backups) }\n"
	dir, baseDir := h.workspace(full.URL, 0, dataSource), h.workspace(empty.URL, 0, dataSource)
	h.tf(dir, "plan")
	full.ResetRequests()
	wall := median(3, func() time.Duration { return h.tf(dir, "plan") })
	api, detect := apiRequests(full)
	base := median(3, func() time.Duration { return h.tf(baseDir, "plan") })
	h.add(fmt.Sprintf("data source optimize_backups: plan reading %d backups (median of 3)", n), ms(wall),
		fmt.Sprintf("%s: the same plan over an empty repository; ratio %.2f", ms(base), float64(wall)/float64(base)))
	h.add("  Elasticsearch requests per read (3 reads)", withDetect(api, detect), "3 + 3 GET /: one per read")
	if h.newest == "" {
		h.add("terraform query of 1000 backups", "skipped", "set TF_BENCH_TERRAFORM_NEWEST_PATH to Terraform 1.14+ (make bench does)")
		return
	}
	query := "list \"optimize_backup\" \"all\" {\n  provider = optimize\n}\n"
	qdir, qbase := h.workspace(full.URL, 0, ""), h.workspace(empty.URL, 0, "")
	writeFile(h.b, filepath.Join(qdir, "all.tfquery.hcl"), query)
	writeFile(h.b, filepath.Join(qbase, "all.tfquery.hcl"), query)
	h.run(h.newest, qdir, "query")
	full.ResetRequests()
	qwall := median(3, func() time.Duration { return h.run(h.newest, qdir, "query") })
	qapi, qdetect := apiRequests(full)
	qbaseWall := median(3, func() time.Duration { return h.run(h.newest, qbase, "query") })
	h.add(fmt.Sprintf("terraform query of %d backups, Terraform 1.14 (median of 3)", n), ms(qwall),
		fmt.Sprintf("%s: the same query over an empty repository; ratio %.2f", ms(qbaseWall), float64(qwall)/float64(qbaseWall)))
	h.add("  Elasticsearch requests per query (3 queries)", withDetect(qapi, qdetect), "3 + 3 GET /: one per query")
}

func median(n int, f func() time.Duration) time.Duration {
	ds := make([]time.Duration, n)
	for i := range ds {
		ds[i] = f()
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[n/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }

func writeFile(b *testing.B, path, content string) {
	b.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		b.Fatal(err)
	}
}
