// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Command esemulator runs the in-memory search engine emulator on a port,
// for the demo, the benchmarks and trying the provider by hand. It answers
// as Elasticsearch 7.17 unless -engine says elasticsearch-8 or opensearch-2:
//
//	go run ./internal/esemulator/cmd/esemulator -listen 127.0.0.1:9200 \
//	  -engine opensearch-2 -seed-optimize 3.9.0 -repository backups -snapshot-duration 2s
//
// With -seed-camunda VERSION (8.6 to 8.10) it also seeds that Camunda's
// web apps and zeebe-record indices and runs Camunda's twin beside it
// (internal/esemulator/camunda): 8.8+ on -camunda-listen (the management
// actuators; 8.10 also /v2 there, with -camunda-username/-camunda-password
// basic auth and, with -camunda-client-id/-camunda-client-secret, a
// client-credentials token endpoint), 8.6/8.7 on -operate-listen,
// -tasklist-listen and -zeebe-listen; its controls are under
// /_emulator/camunda/ on the engine's address.
//
// It logs one line per request to stderr and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator/camunda"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "esemulator:", err)
		os.Exit(1)
	}
}

func run() error {
	engine := flag.String("engine", string(esemulator.Elasticsearch717), "the engine to answer as: elasticsearch-7.17, elasticsearch-8 or opensearch-2")
	listen := flag.String("listen", "127.0.0.1:9200", "address to listen on (port 0 picks a free one)")
	seed := flag.String("seed-optimize", "", "seed an Optimize installation of this version (e.g. 3.9.0)")
	prefix := flag.String("index-prefix", "optimize", "index prefix of the seeded Optimize installation")
	repo := flag.String("repository", "", "register an fs snapshot repository with this name")
	duration := flag.Duration("snapshot-duration", 2*time.Second, "how long each snapshot stays IN_PROGRESS")
	username := flag.String("username", "", "require HTTP basic auth with this user")
	password := flag.String("password", "", "password of -username")
	apiKey := flag.String("api-key", "", "accept this API key (base64 of id:key)")
	bearer := flag.String("bearer-token", "", "accept this bearer token")
	clockOffset := flag.Duration("clock-offset", 0, "stamp snapshots and indices this far from the wall clock (negative: the past, e.g. -10m)")
	caOut := flag.String("tls-ca-out", "", "serve HTTPS with a certificate for 127.0.0.1 and localhost signed by a throwaway CA, written to this PEM file (for ca_file)")
	twinFlags := defineTwinFlags()
	flag.Parse()
	if (*twinFlags.user == "") != (*twinFlags.password == "") {
		return fmt.Errorf("-camunda-username and -camunda-password go together")
	}
	if (*username == "") != (*password == "") {
		return fmt.Errorf("-username and -password go together")
	}

	eng, err := esemulator.ParseEngine(*engine)
	if err != nil {
		return err
	}
	logger := log.New(os.Stderr, "", log.LstdFlags|log.Lmicroseconds)
	cfg := esemulator.Config{
		Engine: eng, SnapshotDuration: *duration, Username: *username, Password: *password, APIKey: *apiKey, BearerToken: *bearer, Logger: logger,
		ClockOffset: *clockOffset,
	}
	var engineTLS *tls.Config // the twin's, trusting the CA
	if *caOut != "" {
		tlsCfg, caPEM, err := esemulator.GenerateTLS("esemulator CA", "127.0.0.1", "localhost")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*caOut, caPEM, 0o600); err != nil {
			return err
		}
		cfg.TLS = tlsCfg
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(caPEM)
		engineTLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	// Handle the signals before anyone can know where to send requests: a
	// SIGTERM right after the listening line must still stop it cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := esemulator.Listen(*listen, cfg)
	if err != nil {
		return err
	}
	if *seed != "" {
		if err := srv.SeedOptimize(*seed, *prefix); err != nil {
			return fmt.Errorf("seeding Optimize %s: %w", *seed, err)
		}
	}
	if *repo != "" {
		dir, err := os.MkdirTemp("", "esemulator-"+*repo+"-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		srv.RegisterRepository(*repo, "fs", map[string]any{"location": filepath.Join(dir, *repo)})
	}
	logger.Printf("esemulator (%s %s) listening on %s", srv.Product(), srv.Version(), srv.URL)
	twin, err := twinFlags.start(srv, *repo, *username, *password, engineTLS, logger)
	if err != nil {
		return err
	}
	<-ctx.Done()
	logger.Printf("shutting down")
	if twin != nil {
		_ = twin.Close()
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return srv.Close()
	}
	return nil
}

// twinFlags are the flags of Camunda's twin.
type twinFlags struct {
	version, listen, user, password, clientID, clientSecret, operate, tasklist, zeebe *string
}

func defineTwinFlags() twinFlags {
	return twinFlags{
		version:      flag.String("seed-camunda", "", "seed a Camunda installation of this version (8.6 to 8.10) and run Camunda's twin beside the engine"),
		listen:       flag.String("camunda-listen", "127.0.0.1:0", "8.8+: the twin's management address (8.10: also /v2)"),
		user:         flag.String("camunda-username", "", "8.10: require basic auth with this user on /v2"),
		password:     flag.String("camunda-password", "", "password of -camunda-username"),
		clientID:     flag.String("camunda-client-id", "", "8.10: serve a client-credentials token endpoint for this client, whose tokens /v2 accepts"),
		clientSecret: flag.String("camunda-client-secret", "", "secret of -camunda-client-id"),
		operate:      flag.String("operate-listen", "127.0.0.1:0", "8.6/8.7: Operate's management address"),
		tasklist:     flag.String("tasklist-listen", "127.0.0.1:0", "8.6/8.7: Tasklist's management address"),
		zeebe:        flag.String("zeebe-listen", "127.0.0.1:0", "8.6/8.7: Zeebe gateway's management address"),
	}
}

// start runs Camunda's twin beside the engine when -seed-camunda asks for
// it (nil otherwise), talking to the engine as the given user, over TLS when
// engineTLS is set.
func (f twinFlags) start(srv *esemulator.Server, repo, engineUser, enginePassword string, engineTLS *tls.Config, logger *log.Logger) (*camunda.Twin, error) {
	if *f.version == "" {
		return nil, nil
	}
	cc := camunda.Config{Version: *f.version, Repository: repo, EngineUsername: engineUser, EnginePassword: enginePassword,
		Username: *f.user, Password: *f.password,
		Listen: *f.listen, OperateListen: *f.operate, TasklistListen: *f.tasklist, ZeebeListen: *f.zeebe}
	if *f.clientID != "" {
		cc.OAuth = &camunda.OAuth{ClientID: *f.clientID, ClientSecret: *f.clientSecret}
	}
	if engineTLS != nil {
		cc.EngineClient = &http.Client{Transport: &http.Transport{TLSClientConfig: engineTLS}}
	}
	t, urls, err := camunda.StartBeside(srv, cc)
	if err != nil {
		return nil, fmt.Errorf("starting Camunda %s: %w", *f.version, err)
	}
	logger.Printf("camunda %s twin listening: %s", t.Version(), urls)
	return t, nil
}
