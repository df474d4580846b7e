package netdev

import (
	"errors"
	"strings"
	"testing"
)

func TestSelfTestOnFake(t *testing.T) {
	f := newTestFake()
	if err := SelfTest(f); err != nil {
		t.Fatal(err)
	}
	if _, ok := fakeLink(f, SelfTestDevice); ok {
		t.Error("self-test left its device")
	}
	f.FailOn("set vtic-selftest down", errors.New("injected"))
	if err := SelfTest(f); err == nil || !strings.Contains(err.Error(), "self-test disable: set vtic-selftest down: injected") {
		t.Errorf("self-test with a failing write: %v", err)
	}
	if _, ok := fakeLink(f, SelfTestDevice); ok {
		t.Error("failed self-test left its device")
	}
}
