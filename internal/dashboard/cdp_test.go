//go:build unix

package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// A devtools session drives one page of a headless Chromium over the
// Chrome DevTools Protocol (a websocket on 127.0.0.1, from
// --remote-debugging-port), so a test can run script in the page: set a
// filter, dispatch the events a reader's click would, and read the DOM.
// The page is the file okr writes, unchanged (DevTools evaluation is not
// subject to the page's Content-Security-Policy), and it ships no test
// hook.
type devtools struct {
	t       *testing.T
	conn    *websocket.Conn
	session string
	next    int
}

// cdpMessage is a DevTools command, or a reply or event.
type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    any             `json:"params,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// lockedBuffer collects Chromium's standard error while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
	l.b.WriteByte('\n')
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// openDevtools starts Chromium headless on url with remote debugging and
// attaches to its page. When the test ends the browser is closed, and
// console messages it printed fail the test, as in headless.
func openDevtools(t *testing.T, bin, url string) *devtools {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), chromiumTimeout)
	profile, err := os.MkdirTemp(t.TempDir(), "profile")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	const origin = "http://127.0.0.1"
	args := append(chromiumFlags(profile), "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--remote-allow-origins="+origin, "--window-size=1280,2400", url)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	pipe, err := cmd.StderrPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("chromium: %v", err)
	}
	var stderr lockedBuffer
	endpoint := make(chan string, 1)
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			stderr.add(line)
			if _, ws, ok := strings.Cut(line, "DevTools listening on "); ok {
				select {
				case endpoint <- strings.TrimSpace(ws):
				default:
				}
			}
		}
		io.Copy(io.Discard, pipe)
	}()
	d := &devtools{t: t}
	t.Cleanup(func() {
		// Close the browser over DevTools, or (not connected) kill it.
		closed := false
		if d.conn != nil {
			d.conn.SetDeadline(time.Now().Add(10 * time.Second))
			closed = websocket.JSON.Send(d.conn, cdpMessage{ID: 1 << 30, Method: "Browser.close"}) == nil
			d.conn.Close()
		}
		if !closed {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
		done := make(chan error, 1)
		go func() { <-read; done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		cancel()
		for _, line := range consoleLine.FindAllString(stderr.String(), -1) {
			t.Errorf("console message: %s", line)
		}
	})

	var ws string
	select {
	case ws = <-endpoint:
	case <-read:
		t.Fatalf("chromium exited without a DevTools endpoint\nstderr:\n%s", stderr.String())
	case <-time.After(chromiumTimeout):
		t.Fatalf("no DevTools endpoint from chromium within %s\nstderr:\n%s", chromiumTimeout, stderr.String())
	}
	conn, err := websocket.Dial(ws, "", origin)
	if err != nil {
		t.Fatalf("connecting to chromium's DevTools at %s: %v\nstderr:\n%s", ws, err, stderr.String())
	}
	d.conn = conn

	// The page Chromium opened on url: attach to it (one connection,
	// commands addressed by session).
	var targets struct {
		TargetInfos []struct {
			TargetID, Type, URL string
		}
	}
	var page string
	for deadline := time.Now().Add(30 * time.Second); page == "" && time.Now().Before(deadline); {
		d.call("Target.getTargets", nil, &targets)
		for _, ti := range targets.TargetInfos {
			if ti.Type == "page" && page == "" {
				page = ti.TargetID
			}
		}
		if page == "" {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if page == "" {
		t.Fatal("chromium opened no page")
	}
	var attached struct{ SessionID string }
	d.call("Target.attachToTarget", map[string]any{"targetId": page, "flatten": true}, &attached)
	d.session = attached.SessionID
	return d
}

// call sends a command to the browser (or, once attached, the page) and
// decodes its result into out, skipping the events that come between.
func (d *devtools) call(method string, params any, out any) {
	d.t.Helper()
	d.next++
	id := d.next
	d.conn.SetDeadline(time.Now().Add(chromiumTimeout))
	if err := websocket.JSON.Send(d.conn, cdpMessage{ID: id, Method: method, Params: params, SessionID: d.session}); err != nil {
		d.t.Fatalf("DevTools %s: %v", method, err)
	}
	for {
		var m cdpMessage
		if err := websocket.JSON.Receive(d.conn, &m); err != nil {
			d.t.Fatalf("DevTools %s: %v", method, err)
		}
		if m.ID != id {
			continue
		}
		if m.Error != nil {
			d.t.Fatalf("DevTools %s: %d %s", method, m.Error.Code, m.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(m.Result, out); err != nil {
				d.t.Fatalf("DevTools %s: %v in %s", method, err, m.Result)
			}
		}
		return
	}
}

// eval runs a script expression in the page (awaiting it when it is a
// promise) and decodes its JSON value into out. An exception fails the
// test.
func (d *devtools) eval(expr string, out any) {
	d.t.Helper()
	var r struct {
		Result struct {
			Type  string
			Value json.RawMessage
		}
		ExceptionDetails *struct {
			Text      string
			Exception struct{ Description string }
		}
	}
	d.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r)
	if e := r.ExceptionDetails; e != nil {
		d.t.Fatalf("script %q threw: %s %s", expr, e.Text, e.Exception.Description)
	}
	if out != nil {
		if len(r.Result.Value) == 0 {
			d.t.Fatalf("script %q returned %s, not a value", expr, r.Result.Type)
		}
		if err := json.Unmarshal(r.Result.Value, out); err != nil {
			d.t.Fatalf("script %q: %v in %s", expr, err, r.Result.Value)
		}
	}
}

// waitReady waits until the page's script has finished (data-ready).
func (d *devtools) waitReady() {
	d.t.Helper()
	deadline := time.Now().Add(chromiumTimeout)
	for {
		var ready string
		d.eval(`document.readyState === "complete" ? (document.documentElement.getAttribute("data-ready") || "") : ""`, &ready)
		if ready == "1" {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the page's script did not finish within %s", chromiumTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// html returns the page's DOM as it is now, serialised.
func (d *devtools) html() []byte {
	d.t.Helper()
	var s string
	d.eval(`document.documentElement.outerHTML`, &s)
	return []byte(fmt.Sprintf("<!DOCTYPE html>%s", s))
}
