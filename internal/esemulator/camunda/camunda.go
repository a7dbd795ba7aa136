// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package camunda is Camunda's side of the emulator (the twin): the backup
// and exporting APIs of a Camunda 8.6 – 8.10 cluster, answering as each
// version does (status codes, JSON bodies, field names and enum values from
// Camunda's sources and docs; /work/camunda-facts.md cites each, and the
// comments here name the class or page). It is never more lenient than
// Camunda: what Camunda refuses, the twin refuses.
//
//   - 8.6 and 8.7: three servers, Operate's and Tasklist's management port
//     (/actuator/backups, their own snapshots camunda_operate_… and
//     camunda_tasklist_…, six parts each) and Zeebe's gateway management
//     port (/actuator/backups, /actuator/exporting/{pause,resume}).
//   - 8.8 and 8.9: one management server: /actuator/backupHistory (the web
//     apps, snapshots camunda_webapps_…), /actuator/backupRuntime (Zeebe),
//     /actuator/exporting/{pause,resume}.
//   - 8.10: the same actuators plus the Orchestration Cluster REST API on the
//     same address: /v2/backups/history, /v2/backups/runtime,
//     /v2/exporting[/pause|/resume], with optional basic auth and an OAuth
//     client-credentials token endpoint.
//
// The web apps' backups are real snapshots, taken one part after the other
// in the engine emulator over its HTTP API, and their state is read back
// from there. Zeebe's backups and the exporting state live in the twin.
// Nothing runs on a timer: a Zeebe backup completes when it is taken unless
// held (HoldZeebeBackups, ReleaseZeebeBackups), and a web apps backup's
// parts run as fast as the engine ends its snapshots (WaitWebapps waits for
// them).
package camunda

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config configures a twin.
type Config struct {
	// Version is the Camunda version answered as: "8.6", "8.7", "8.8",
	// "8.9" or "8.10", optionally with a patch ("8.7.2"; default patch 0).
	// It is the version in snapshot names and Zeebe's brokerVersion.
	Version string
	// EngineURL is the search engine (the engine emulator) the web apps
	// write their snapshots into, e.g. http://127.0.0.1:9200.
	EngineURL string
	// EngineUsername and EnginePassword, when set, are sent to the engine
	// as basic auth.
	EngineUsername, EnginePassword string
	// EngineClient, when set, is the HTTP client to the engine (its TLS
	// configuration, say); nil is http.DefaultClient.
	EngineClient *http.Client
	// Repository is the snapshot repository of the web apps (Operate's and
	// Tasklist's backup repository; one name for both, as 8.8+ requires).
	// Empty: none configured, as Camunda answers then.
	Repository string
	// Partitions is Zeebe's partition count; 0 is 3.
	Partitions int
	// Username and Password, when set, are required as basic auth on 8.10's
	// /v2 API.
	Username, Password string
	// OAuth, when set, serves a client-credentials token endpoint
	// (URLs.Token) whose tokens 8.10's /v2 API accepts as Bearer.
	OAuth *OAuth
	// HoldZeebeBackups keeps Zeebe's backups IN_PROGRESS until
	// ReleaseZeebeBackups; otherwise they are COMPLETED once taken.
	HoldZeebeBackups bool
	// Now is the clock (the engine emulator's, so that INCOMPLETE follows
	// it); nil is time.Now.
	Now func() time.Time
	// Listen addresses; empty is a free port of 127.0.0.1. Management is the
	// 8.8+ management port (and 8.10's /v2); Operate, Tasklist and Zeebe are
	// 8.6/8.7's three management ports.
	Listen, OperateListen, TasklistListen, ZeebeListen string
}

// OAuth is the client of the twin's client-credentials token endpoint.
type OAuth struct {
	ClientID, ClientSecret string
	// Audience, when set, must be the token request's audience.
	Audience string
}

// URLs are where a started twin listens.
type URLs struct {
	// Management is the 8.8+ management port (8.10: also /v2).
	Management string
	// Operate, Tasklist and Zeebe are 8.6/8.7's management ports.
	Operate, Tasklist, Zeebe string
	// Token is the OAuth token endpoint (8.10 with Config.OAuth).
	Token string
}

// String lists the addresses that are set, as "management=URL token=URL".
func (u URLs) String() string {
	var parts []string
	for _, f := range []struct{ name, url string }{{"management", u.Management}, {"operate", u.Operate},
		{"tasklist", u.Tasklist}, {"zeebe", u.Zeebe}, {"token", u.Token}} {
		if f.url != "" {
			parts = append(parts, f.name+"="+f.url)
		}
	}
	return strings.Join(parts, " ")
}

// TokenPath is where the token endpoint answers: Keycloak's, as in
// Camunda's Self-Managed example (orchestration-cluster-api-rest-authentication.md).
const TokenPath = "/auth/realms/camunda-platform/protocol/openid-connect/token" //nolint:gosec // a URL path, not a credential

// Twin is a Camunda cluster's backup side.
type Twin struct {
	cfg     Config
	minor   int    // 6 .. 10
	version string // "8.7.2"
	now     func() time.Time
	engine  *engineClient

	mu        sync.Mutex
	zeebe     *zeebe
	exporting string
	faults    faults
	webapps   map[string]*webappsApp // "operate", "tasklist" (8.6/8.7), "webapps" (8.8+)
	tokens    map[string]bool

	// inflight counts the web apps backups taking their parts; idle is
	// closed (and replaced) each time it drops to 0; closed refuses new ones.
	inflight int
	idle     chan struct{}
	closed   bool

	ctx     context.Context
	cancel  context.CancelFunc
	servers []*http.Server
}

type faults struct {
	partitions map[int]bool
	webapps    bool
	resume     bool
}

// New returns a twin of cfg.Version, not yet listening.
func New(cfg Config) (*Twin, error) {
	minor, version, err := parseVersion(cfg.Version)
	if err != nil {
		return nil, err
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 3
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	t := &Twin{cfg: cfg, minor: minor, version: version, now: now,
		engine:    &engineClient{base: strings.TrimRight(cfg.EngineURL, "/"), user: cfg.EngineUsername, password: cfg.EnginePassword, client: cfg.EngineClient},
		zeebe:     newZeebe(cfg.Partitions, version, cfg.HoldZeebeBackups),
		exporting: Exporting,
		faults:    faults{partitions: map[int]bool{}},
		webapps:   map[string]*webappsApp{},
		tokens:    map[string]bool{},
		idle:      make(chan struct{}),
		ctx:       ctx, cancel: cancel,
	}
	if minor <= 7 {
		t.webapps["operate"] = &webappsApp{kind: operate}
		t.webapps["tasklist"] = &webappsApp{kind: tasklist}
	} else {
		t.webapps["webapps"] = &webappsApp{kind: webapps}
	}
	return t, nil
}

// parseVersion reads "8.<minor>[.<patch>]" for minors 6 to 10.
func parseVersion(v string) (int, string, error) {
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 || parts[0] != "8" {
		return 0, "", fmt.Errorf("camunda: version %q: want 8.6 to 8.10, e.g. 8.7 or 8.7.2", v)
	}
	minor, err := strconv.Atoi(parts[1])
	if err != nil || minor < 6 || minor > 10 {
		return 0, "", fmt.Errorf("camunda: version %q: want 8.6 to 8.10", v)
	}
	if len(parts) == 2 {
		return minor, v + ".0", nil
	}
	if _, err := strconv.Atoi(parts[2]); err != nil {
		return 0, "", fmt.Errorf("camunda: version %q: patch is not a number", v)
	}
	return minor, strings.ToLower(v), nil
}

// Version is the full version answered as, e.g. "8.7.0".
func (t *Twin) Version() string { return t.version }

// Minor is the minor version answered as (6 to 10).
func (t *Twin) Minor() int { return t.minor }

// Start listens on the configured addresses (a free loopback port each
// when empty): 8.6/8.7 Operate, Tasklist and Zeebe; 8.8+ one management
// port.
func (t *Twin) Start() (URLs, error) {
	var urls URLs
	listen := func(addr string, h http.Handler) (string, error) {
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
		if err != nil {
			return "", err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		t.mu.Lock()
		t.servers = append(t.servers, srv)
		t.mu.Unlock()
		go func() { _ = srv.Serve(ln) }()
		return "http://" + ln.Addr().String(), nil
	}
	var err error
	if t.minor <= 7 {
		if urls.Operate, err = listen(t.cfg.OperateListen, t.OperateHandler()); err != nil {
			return URLs{}, errors.Join(err, t.Close())
		}
		if urls.Tasklist, err = listen(t.cfg.TasklistListen, t.TasklistHandler()); err != nil {
			return URLs{}, errors.Join(err, t.Close())
		}
		if urls.Zeebe, err = listen(t.cfg.ZeebeListen, t.ZeebeHandler()); err != nil {
			return URLs{}, errors.Join(err, t.Close())
		}
		return urls, nil
	}
	if urls.Management, err = listen(t.cfg.Listen, t.ManagementHandler()); err != nil {
		return URLs{}, errors.Join(err, t.Close())
	}
	if t.minor >= 10 && t.cfg.OAuth != nil {
		urls.Token = urls.Management + TokenPath
	}
	return urls, nil
}

// Close stops the servers and the web apps backups in flight.
func (t *Twin) Close() error {
	t.cancel()
	t.mu.Lock()
	servers := t.servers
	t.servers, t.closed = nil, true
	t.mu.Unlock()
	var errs []error
	for _, s := range servers {
		errs = append(errs, s.Close())
	}
	errs = append(errs, t.WaitWebapps(context.Background()))
	return errors.Join(errs...)
}

// WaitWebapps waits until no web apps backup is taking its parts (each
// part ends when the engine ends its snapshot).
func (t *Twin) WaitWebapps(ctx context.Context) error {
	for {
		t.mu.Lock()
		n, idle := t.inflight, t.idle
		t.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Exporting states, Camunda's words (Zeebe's ExporterPhase; 8.10's
// ExportingStatus adds MIXED, which the twin never reports: its pause and
// resume reach every partition or none).
const (
	Exporting  = "EXPORTING"
	Paused     = "PAUSED"
	SoftPaused = "SOFT_PAUSED"
)

// ExportingState is Zeebe's exporting state: Exporting, Paused or
// SoftPaused.
func (t *Twin) ExportingState() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.exporting
}

// FailPartition makes Zeebe partition n fail its next backup.
func (t *Twin) FailPartition(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults.partitions[n] = true
}

// FailNextWebapps makes the next web apps backup fail (its first part's
// snapshot ends FAILED in the engine). In 8.6/8.7 that is Operate's or
// Tasklist's, whichever is taken first.
func (t *Twin) FailNextWebapps() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults.webapps = true
}

// FailNextResume makes the next resume of exporting fail, once.
func (t *Twin) FailNextResume() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults.resume = true
}

// ClearFaults drops the faults not struck yet.
func (t *Twin) ClearFaults() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = faults{partitions: map[int]bool{}}
}
