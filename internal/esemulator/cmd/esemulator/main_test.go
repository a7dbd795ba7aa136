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

// TestCommand builds the command, starts it seeded, sends it a request and
// stops it with SIGTERM: it must log the request and exit 0. Its clock is
// moved by -clock-offset.
func TestCommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "esemulator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-seed-optimize", "3.9.0", "-repository", "backups",
		"-snapshot-duration", "10ms", "-username", "elastic", "-password", "pw", "-clock-offset", "-10m")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url string
	re := regexp.MustCompile(`listening on (http://\S+)`)
	select {
	case l := <-lines:
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("first line %q does not say where it listens", l)
		}
		url = m[1]
	case <-time.After(10 * time.Second):
		t.Fatal("no listening line")
	}
	req, _ := http.NewRequest("GET", url+"/_snapshot/backups", nil)
	req.SetBasicAuth("elastic", "pw")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"type":"fs"`) {
		t.Fatalf("GET /_snapshot/backups: %d %s", res.StatusCode, body)
	}
	select {
	case l := <-lines:
		if !strings.Contains(l, "GET /_snapshot/backups 200") {
			t.Fatalf("request log line %q", l)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the request was not logged")
	}
	res, err = http.Get(url + "/_emulator/clock")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"offset":"-10m0s"`) {
		t.Fatalf("GET /_emulator/clock with -clock-offset -10m: %d %s", res.StatusCode, body)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}
