// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Command esemulator runs the in-memory search engine emulator on a port,
// for the demo, the benchmarks and trying the provider by hand. It answers
// as Elasticsearch 7.17 unless -engine says elasticsearch-8 or opensearch-2:
//
//	go run ./internal/esemulator/cmd/esemulator -listen 127.0.0.1:9200 \
//	  -engine opensearch-2 -seed-optimize 3.9.0 -repository backups -snapshot-duration 2s
//
// It logs one line per request to stderr and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
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
	flag.Parse()
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
	if *caOut != "" {
		tlsCfg, caPEM, err := esemulator.GenerateTLS("esemulator CA", "127.0.0.1", "localhost")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*caOut, caPEM, 0o600); err != nil {
			return err
		}
		cfg.TLS = tlsCfg
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
	<-ctx.Done()
	logger.Printf("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return srv.Close()
	}
	return nil
}
