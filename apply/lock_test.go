package apply

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLock(t *testing.T) {
	root := t.TempDir()
	ctx := context.Background()
	release, err := lock(ctx, root, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock(ctx, root, false); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v; want ErrLocked", err)
	}
	// --wait waits for the holder.
	done := make(chan error, 1)
	go func() {
		r, err := lock(ctx, root, true)
		if err == nil {
			r()
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("waiting lock returned while held: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiting lock not taken after release")
	}
	// A wait ends with its context.
	release, _ = lock(ctx, root, false)
	defer release()
	tctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := lock(tctx, root, true); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait past the deadline: %v", err)
	}
}

func TestDecodeState(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{`{"version": 2, "host": "gw1"}`, "version 2"},
		{`{"version": 1, "host": "gw1", "extra": 1}`, "unknown field"},
		{`{`, "unexpected EOF"},
	} {
		if _, err := decodeState([]byte(tc.data), "gw1"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("decodeState(%s) = %v; want %q", tc.data, err, tc.want)
		}
	}
	s := newState("gw1")
	s.Devices = []string{"vti2", "vti1", "vti2"}
	got, err := decodeState(s.encode(), "gw1")
	if err != nil || len(got.Devices) != 2 || got.Devices[0] != "vti1" {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
}
