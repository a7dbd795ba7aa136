// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCommandCamunda starts the command with -seed-camunda 8.8: the
// twin's management port takes a web apps backup into the engine, and
// the twin's controls answer on the engine's address.
func TestCommandCamunda(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "esemulator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-repository", "backups", "-snapshot-duration", "1ms",
		"-seed-camunda", "8.8", "-camunda-listen", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	var engineURL, management string
	sc := bufio.NewScanner(stderr)
	engineRE := regexp.MustCompile(`listening on (http://\S+)`)
	twinRE := regexp.MustCompile(`camunda 8\.8\.0 twin listening: management=(http://\S+)`)
	deadline := time.Now().Add(20 * time.Second)
	for management == "" && time.Now().Before(deadline) && sc.Scan() {
		if m := engineRE.FindStringSubmatch(sc.Text()); m != nil && engineURL == "" {
			engineURL = m[1]
		}
		if m := twinRE.FindStringSubmatch(sc.Text()); m != nil {
			management = m[1]
		}
	}
	if engineURL == "" || management == "" {
		t.Fatalf("engine %q, twin %q: the log does not say where they listen", engineURL, management)
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()

	res, err := http.Post(management+"/actuator/backupHistory", "application/json", strings.NewReader(`{"backupId": 3}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "camunda_webapps_3_8.8.0_part_6_of_6") {
		t.Fatalf("POST /actuator/backupHistory: %d %s", res.StatusCode, body)
	}
	res, err = http.Get(engineURL + "/_emulator/camunda/exporting")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != 200 || string(body) != `{"state":"RUNNING"}`+"\n" {
		t.Fatalf("GET /_emulator/camunda/exporting: %d %s", res.StatusCode, body)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}
