package netdev

import (
	"errors"
	"io/fs"
	"net/netip"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The Fake must refuse what the kernel refuses, or transcript tests would
// pass on plans the kernel rejects.
func TestFakeRules(t *testing.T) {
	tests := []struct {
		name    string
		do      func(*Fake) error
		wantIs  error
		wantMsg string
	}{
		{"create over a veth", func(f *Fake) error { return f.AddVTI(edit(vti1, func(v *VTI) { v.Name = "eth0" })) },
			ErrClash, "create eth0 local 192.0.2.10 remote 198.51.100.2 key 12 mtu 1400: a veth device with that name exists"},
		{"create over a vti with other keys", func(f *Fake) error {
			if err := f.AddVTI(vti1); err != nil {
				return err
			}
			return f.AddVTI(edit(vti1, func(v *VTI) { v.Key = 40 }))
		}, ErrClash, "a vti with that name exists with local 192.0.2.10 remote 198.51.100.2 ikey 12 okey 12"},
		{"second vti on the same pair", func(f *Fake) error {
			if err := f.AddVTI(vti1); err != nil {
				return err
			}
			return f.AddVTI(edit(vti1, func(v *VTI) { v.Name, v.Key = "vti5", 50 }))
		}, syscall.EEXIST, "vti vti1 already uses local 192.0.2.10 remote 198.51.100.2"},
		{"modify onto a held pair", func(f *Fake) error {
			if err := errors.Join(f.AddVTI(vti1), f.AddVTI(vti2)); err != nil {
				return err
			}
			return f.ModifyVTI(edit(vti2, func(v *VTI) { v.Remote = peer1 }))
		}, syscall.EEXIST, "modify vti2 local 192.0.2.10 remote 198.51.100.2 key 13: vti vti1 already uses"},
		{"vti without local", func(f *Fake) error { return f.AddVTI(edit(vti1, func(v *VTI) { v.Local = netip.Addr{} })) },
			syscall.EINVAL, "would make a vti6"},
		{"modify a veth", func(f *Fake) error { return f.ModifyVTI(edit(vti1, func(v *VTI) { v.Name = "eth0" })) },
			ErrClash, "a veth device, not a vti"},
		{"delete a veth", func(f *Fake) error { return f.DeleteLink("eth0") },
			ErrClash, "delete eth0: refusing to delete a veth device"},
		{"mtu of a missing device", func(f *Fake) error { return f.SetMTU("vti7", 1400) },
			syscall.ENODEV, "set vti7 mtu 1400: no such device"},
		{"address on a missing device", func(f *Fake) error { return f.ReplaceAddr("vti7", vti1.Address) },
			syscall.ENODEV, "addr replace vti7 169.254.10.1/30"},
		{"unreachable gateway", func(f *Fake) error {
			return f.ReplaceRoute(Route{Dst: route1.Dst, Gateway: netip.MustParseAddr("10.0.0.1")})
		}, syscall.ENETUNREACH, "route replace 198.51.100.2/32 via 10.0.0.1"},
		{"gateway behind a down device", func(f *Fake) error {
			if err := f.SetUp("eth0", false); err != nil {
				return err
			}
			return f.ReplaceRoute(route1)
		}, syscall.ENETUNREACH, "route replace 198.51.100.2/32 via 192.0.2.1"},
		{"sysctl of a missing device", func(f *Fake) error { return f.SetSysctl(DevSysctl("vti7", SysctlRPFilter), "2") },
			fs.ErrNotExist, "sysctl net.ipv4.conf.vti7.rp_filter=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do(newTestFake())
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("error %v, want %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestFakeIdempotentWrites(t *testing.T) {
	f := newTestFake()
	if err := f.AddVTI(vti1); err != nil {
		t.Fatal(err)
	}
	f.ResetTranscript()
	// Each of these finds the kernel already as asked.
	for _, err := range []error{
		f.AddVTI(vti1),
		f.ModifyVTI(vti1),
		f.SetMTU("vti1", 1400),
		f.SetUp("vti1", false),
		f.DelAddr("vti1", netip.MustParsePrefix("10.1.1.1/24")),
		f.DelRoute(route1),
		f.DeleteLink("vti7"),
	} {
		if err != nil {
			t.Error(err)
		}
	}
	if got := f.Transcript(); len(got) != 0 {
		t.Errorf("no-op writes recorded: %q", got)
	}
}

func TestFakeSideEffects(t *testing.T) {
	f := newTestFake()
	if err := f.AddVTI(vti1); err != nil {
		t.Fatal(err)
	}
	if v, err := f.Sysctl(DevSysctl("vti1", SysctlRPFilter)); err != nil || v != "1" {
		t.Errorf("new device rp_filter = %q, %v; want the default 1", v, err)
	}
	if err := errors.Join(
		f.SetUp("vti1", true),
		f.ReplaceAddr("vti1", vti1.Address),
		f.ReplaceRoute(Route{Dst: netip.MustParsePrefix("10.20.0.0/16"), Gateway: netip.MustParseAddr("169.254.10.2")}),
	); err != nil {
		t.Fatal(err)
	}
	routes, _ := f.Routes()
	if want := (Route{Dst: netip.MustParsePrefix("10.20.0.0/16"), Gateway: netip.MustParseAddr("169.254.10.2"), Dev: "vti1"}); routes[1] != want {
		t.Fatalf("route %+v, want %+v with the device resolved", routes[1], want)
	}
	if err := f.DeleteLink("vti1"); err != nil {
		t.Fatal(err)
	}
	if routes, _ := f.Routes(); len(routes) != 1 {
		t.Errorf("routes via a deleted device survived: %v", routes)
	}
	if _, err := f.Sysctl(DevSysctl("vti1", SysctlRPFilter)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("sysctl of a deleted device: %v", err)
	}
	want := []string{
		"create vti1 local 192.0.2.10 remote 198.51.100.2 key 12 mtu 1400",
		"set vti1 up",
		"addr replace vti1 169.254.10.1/30",
		"route replace 10.20.0.0/16 via 169.254.10.2",
		"delete vti1",
	}
	if diff := cmp.Diff(want, f.Transcript()); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
}

func TestFakeFailOnMatchesWholeWords(t *testing.T) {
	f := newTestFake()
	f.FailOn("create vti1", errors.New("injected"))
	if err := f.AddVTI(edit(vti1, func(v *VTI) { v.Name = "vti10" })); err != nil {
		t.Errorf("create vti10 failed on a rule for vti1: %v", err)
	}
	if err := f.AddVTI(vti2); err != nil {
		t.Error(err)
	}
	if err := f.AddVTI(vti1); err == nil || err.Error() != "create vti1 local 192.0.2.10 remote 198.51.100.2 key 12 mtu 1400: injected" {
		t.Errorf("got %v", err)
	}
}
