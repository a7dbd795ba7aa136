// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/acctest"
	"github.com/optimize-tf/terraform-provider-optimize/internal/awsauth"
)

// signing: what AWS Signature Version 4 adds to a request (a create's,
// with its body), with static credentials (the SDK's cache: no credential
// call per request).
func (h *harness) signing() {
	acctest.AWSEnv(h.b, "AKIABENCH", "bench-secret", "bench-token")
	signer, err := awsauth.New(context.Background(), awsauth.Config{Region: "eu-west-1"})
	if err != nil {
		h.b.Fatal(err)
	}
	body := `{"indices":["optimize-alert_v4","optimize-business-key_v2","optimize-collection_v5"],"include_global_state":false,"metadata":{"taken_by":"terraform-provider-optimize"}}`
	const n = 2000
	start := time.Now()
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest(http.MethodPut, "https://search-optimize.eu-west-1.es.amazonaws.com/_snapshot/backups/camunda_optimize_1764633600_8.8.0_part_2_of_2?wait_for_completion=true", strings.NewReader(body))
		if err := signer.SignRequest(req); err != nil {
			h.b.Fatal(err)
		}
	}
	per := time.Since(start) / n
	h.add("AWS Signature Version 4 per request (a create's, mean of 2,000)", fmt.Sprintf("%d µs", per.Microseconds()), "under 1 ms (issue 21); the credentials come from the SDK's cache")
}
