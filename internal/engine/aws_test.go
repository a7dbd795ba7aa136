// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package engine_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/awsauth"
	"github.com/optimize-tf/terraform-provider-optimize/internal/engine"
	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

var testAWS = &esemulator.AWSAuth{AccessKeyID: "AKIAEMULATOR0000TEST", SecretAccessKey: "emulator/secret+key", SessionToken: "emulator-session-token", Region: "eu-west-1"}

// Every call, engine detection's GET / included, is signed and accepted by
// a domain that checks signatures; names that must be escaped go through
// the double encoding of the canonical path.
func TestAWSSignedRequests(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.OpenSearch2, AWS: testAWS})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	srv.RegisterRepository("dépôt backups", "fs", map[string]any{"location": t.TempDir()})
	if err := srv.CreateIndex("optimize-metadata_v3", "optimize-metadata"); err != nil {
		t.Fatal(err)
	}
	acctest.AWSEnv(t, testAWS.AccessKeyID, testAWS.SecretAccessKey, testAWS.SessionToken)
	signer, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := engine.NewCluster(searchhttp.Config{Endpoints: []string{srv.URL}, AWS: signer})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := cl.CheckRepository(ctx, "dépôt backups"); err != nil {
		t.Fatal(err)
	}
	snap, err := cl.CreateSnapshot(ctx, "dépôt backups", "camunda_optimize_a%b_3.9.0_part_1_of_2", optimize.SnapshotRequest{Indices: []string{"optimize-metadata_v3"}, Wait: true, Metadata: map[string]any{"k": "v"}})
	if err != nil || snap.State != "SUCCESS" {
		t.Fatalf("create: %+v %v", snap, err)
	}
	if snaps, err := cl.Snapshots(ctx, "dépôt backups", "camunda_optimize_*"); err != nil || len(snaps) != 1 {
		t.Fatalf("snapshots: %v %v", snaps, err)
	}
	if err := cl.DeleteIndices(ctx, []string{"optimize-metadata_v3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.RestoreSnapshot(ctx, "dépôt backups", "camunda_optimize_a%b_3.9.0_part_1_of_2", []string{"optimize-metadata_v3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Document(ctx, "optimize-metadata", "1"); !errors.Is(err, optimize.ErrNotFound) {
		t.Fatalf("document: %v", err)
	}
	if err := cl.DeleteSnapshots(ctx, "dépôt backups", []string{"camunda_optimize_a%b_3.9.0_part_1_of_2"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if r.Status == 403 {
			t.Fatalf("refused: %+v", r)
		}
	}
}

// A wrong secret is refused by AWS, and the error says so, with the key id
// and the region, never the secret or the session token.
func TestAWSWrongSecret(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.OpenSearch2, AWS: testAWS})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	acctest.AWSEnv(t, testAWS.AccessKeyID, "the-wrong-secret", testAWS.SessionToken)
	signer, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = engine.Detect(context.Background(), searchhttp.Config{Endpoints: []string{srv.URL}, AWS: signer})
	if err == nil {
		t.Fatal("detected with a wrong secret")
	}
	msg := err.Error()
	for _, want := range []string{"AWS refused the request", "The request signature we calculated does not match", testAWS.AccessKeyID, "eu-west-1", "es:ESHttpGet"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q: %s", want, msg)
		}
	}
	for _, secret := range []string{"the-wrong-secret", testAWS.SessionToken} {
		if strings.Contains(msg, secret) {
			t.Errorf("the error holds a secret: %s", msg)
		}
	}
	// Unsigned: the service's anonymous refusal.
	_, err = engine.Detect(context.Background(), searchhttp.Config{Endpoints: []string{srv.URL}})
	if err == nil || !strings.Contains(err.Error(), "anonymous is not authorized to perform: es:ESHttpGet") {
		t.Fatalf("unsigned: %v", err)
	}
}

// With aws, an Elasticsearch cluster is refused, naming what answered.
func TestAWSNeedsOpenSearch(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.Elasticsearch8})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	acctest.AWSEnv(t, testAWS.AccessKeyID, testAWS.SecretAccessKey, "")
	signer, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := engine.NewCluster(searchhttp.Config{Endpoints: []string{srv.URL}, AWS: signer})
	if err != nil {
		t.Fatal(err)
	}
	err = cl.CheckRepository(context.Background(), "backups")
	if err == nil || !strings.Contains(err.Error(), "Elasticsearch 8.17.0 answered a request signed for Amazon OpenSearch Service") {
		t.Fatalf("err = %v", err)
	}
}

// Behind a proxy that routes by a path prefix and removes it (endpoint
// https://host/os), the domain checks the signature over another path than
// the one signed: AWS's "signature does not match" comes with the prefix
// named as the cause and what to do, not only the region and credentials.
// Without a path, that sentence stays out.
func TestAWSSignatureMismatchNamesTheEndpointPath(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.OpenSearch2, AWS: testAWS})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	target, _ := url.Parse(srv.URL)
	upstream := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.StripPrefix("/os", upstream))
	defer proxy.Close()
	acctest.AWSEnv(t, testAWS.AccessKeyID, testAWS.SecretAccessKey, testAWS.SessionToken)
	signer, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = engine.Detect(context.Background(), searchhttp.Config{Endpoints: []string{proxy.URL + "/os"}, AWS: signer})
	if err == nil {
		t.Fatal("detected through a proxy that changes the signed path")
	}
	msg := err.Error()
	for _, want := range []string{"The request signature we calculated does not match", `The endpoint has a path ("/os")`,
		"a proxy that routes by that path and removes it", "point elasticsearch.endpoints at the domain's own endpoint", "Otherwise, check that the region is the domain's"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q: %s", want, msg)
		}
	}
	// The same refusal without a path: no word of a path.
	acctest.AWSEnv(t, testAWS.AccessKeyID, "the-wrong-secret", testAWS.SessionToken)
	wrong, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = engine.Detect(context.Background(), searchhttp.Config{Endpoints: []string{srv.URL}, AWS: wrong})
	if err == nil || !strings.Contains(err.Error(), "The request signature we calculated does not match") || strings.Contains(err.Error(), "has a path") {
		t.Fatalf("a wrong secret without an endpoint path: %v", err)
	}
}
