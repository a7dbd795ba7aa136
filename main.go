// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-optimize is the Terraform provider that backs up
// Camunda Optimize's Elasticsearch data.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/optimize-tf/terraform-provider-optimize/internal/process"
	"github.com/optimize-tf/terraform-provider-optimize/internal/provider"
)

//go:generate go tool tfplugindocs generate --provider-name optimize

// version is set by the release build (goreleaser's -X main.version=...).
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	// No TF_LOG* variable: Terraform discards whatever the plugin logs, so
	// the loggers are off instead of writing TRACE lines nobody reads.
	if _, err := process.QuietLogs(os.Environ(), os.Setenv); err != nil {
		log.Fatal(err)
	}

	// A refresh allocates much and keeps little: collect less often,
	// unless GOGC says otherwise.
	process.TuneGC(os.LookupEnv)

	stopProfile := process.StartBenchProfile()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// The framework's server, as providerserver.Serve would serve it, with
	// actions that report what they did when Terraform stops them.
	server := provider.NewServer(version)
	err := tf6server.Serve(provider.Address, func() tfprotov6.ProviderServer {
		s, err := server()
		if err != nil {
			log.Fatal(err)
		}
		return s
	}, opts...)
	stopProfile()
	if err != nil {
		log.Fatal(err)
	}
}
