# vtic's recipes. `just --list` shows them.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Debian packages the tests need: the real programs vtic's files are checked
# against, and the qemu lab (Debian's kernel has the VTI module).
packages := "qemu-system-x86 linux-image-amd64 busybox-static charon-systemd strongswan-charon strongswan-swanctl strongswan-pki frr frr-pythontools iptables iproute2 iputils-ping kmod python3 time procps ansible-core openssh-server graphviz chromium bird2 libldns3 libevent-core-2.1-7 libevent-pthreads-2.1-7 libunbound8 libcurl3-nss libcap-ng0 libnss3 libnss3-tools keepalived"

# The Mermaid release internal/graph's test renders with.
mermaid := "11.17.2"

default:
    @just --list

# Install what the tests need (Debian, as root or with sudo).
#
# On a host booted with systemd the packages' maintainer scripts start
# frr.service (zebra and staticd; bgpd=no), strongswan.service
# (charon-systemd on UDP 500 and 4500, /run/charon.vici) and ssh.service
# (port 22) in the host's namespaces. They are left running: no test uses
# them or collides with them. Every daemon a test starts runs in network
# and mount namespaces of its own with a private /run
# (internal/testkit/testdaemon), or inside the lab VM, whose /run is its
# own tmpfs (so vtic there sees no systemd) and whose routers are network
# namespaces of the guest's kernel; no test runs systemctl on the host,
# and the Ansible lab forwards ports of 127.0.0.1 picked free, not 22.
# Checked by running every test outside internal/e2e in a namespace where
# those three services ran as their units start them, with
# /run/systemd/system present and systemctl replaced by a recorder: all
# passed, the services were still up afterwards, and no test called
# systemctl.
setup:
    #!/usr/bin/env bash
    set -euo pipefail
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    missing=""
    for p in {{packages}}; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
        echo "installing:$missing"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
    # bird2's postinst starts BIRD where systemd runs; the tests start
    # their own (in the lab VM) and only need the programs.
    if [ -d /run/systemd/system ] && systemctl is-enabled -q bird 2>/dev/null; then
        $SUDO systemctl disable --now bird
    fi
    # Debian's libreswan conflicts with strongSwan's packages: unpack its
    # .deb into .cache/libreswan (realcheck.LibreswanDir) and run it from
    # there; its libraries are in packages above.
    if [ ! -x .cache/libreswan/usr/libexec/ipsec/pluto ]; then
        tmp=$(mktemp -d)
        (cd "$tmp" && apt-get download libreswan >/dev/null)
        mkdir -p .cache
        rm -rf .cache/libreswan.new
        dpkg-deb -x "$tmp"/libreswan_*.deb .cache/libreswan.new
        rm -rf "$tmp" .cache/libreswan
        mv .cache/libreswan.new .cache/libreswan
    fi
    go mod download
    # Mermaid's browser bundle, which internal/graph's test runs in
    # Chromium to prove GitHub can draw vtic's mermaid graphs.
    [ -f .cache/mermaid/node_modules/mermaid/package.json ] && grep -q '"version": "{{mermaid}}"' .cache/mermaid/node_modules/mermaid/package.json || \
        npm install --prefix .cache/mermaid --no-audit --no-fund --ignore-scripts --no-save mermaid@{{mermaid}} >/dev/null

# Run every test: unit, golden, CLI, real programs, the VM lab, short fuzz runs.
test: && fuzz-short
    go vet ./...
    # go.mod lists what the code imports, and the commands a reviewer runs
    # (validate, build, fmt, diff, import) build for macOS and Windows.
    go mod tidy -diff
    GOOS=darwin GOARCH=arm64 go build -o /dev/null ./cmd/vtic
    GOOS=windows go build -o /dev/null ./cmd/vtic
    GOOS=darwin go vet ./cmd/vtic ./lang/... ./compile/... ./targets/...
    go test -count=1 -timeout 30m $(go list ./... | grep -v -E '/internal/e2e/')
    # The VM tests one package at a time: two emulated VMs on two cores
    # would only slow each other down.
    go test -count=1 -p 1 -timeout 60m $(go list ./... | grep -E '/internal/e2e/')

# Fuzz each target briefly: a count of executions, not a duration. A
# -fuzztime duration can end in a spurious "context deadline exceeded"
# failure with no crasher (a race in Go's fuzz coordinator, golang/go#75804,
# fixed in Go 1.27); a count has no deadline to race.
fuzz-short execs="2000":
    go test -run='^$' -fuzz='^FuzzLoad$' -fuzztime={{execs}}x -fuzzminimizetime=20x ./lang/
    go test -run='^$' -fuzz='^FuzzRender$' -fuzztime={{execs}}x -fuzzminimizetime=20x ./targets/bundle/
    go test -run='^$' -fuzz='^FuzzRenderValues$' -fuzztime={{execs}}x -fuzzminimizetime=20x ./targets/bundle/
    go test -run='^$' -fuzz='^FuzzParse$' -fuzztime={{execs}}x -fuzzminimizetime=20x ./internal/awsimport/
    go test -run='^$' -fuzz='^FuzzDiagOutput$' -fuzztime={{execs}}x -fuzzminimizetime=20x ./cmd/vtic/

# Fuzz each target for ten minutes, leaving a core free (docs/fuzzing.md).
fuzz-long:
    go test -run='^$' -fuzz='^FuzzLoad$' -fuzztime=10m -fuzzminimizetime=20x -parallel 1 -timeout 0 ./lang/
    go test -run='^$' -fuzz='^FuzzRender$' -fuzztime=10m -fuzzminimizetime=20x -parallel 1 -timeout 0 ./targets/bundle/
    go test -run='^$' -fuzz='^FuzzRenderValues$' -fuzztime=10m -fuzzminimizetime=20x -parallel 1 -timeout 0 ./targets/bundle/
    go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=10m -fuzzminimizetime=20x -parallel 1 -timeout 0 ./internal/awsimport/
    go test -run='^$' -fuzz='^FuzzDiagOutput$' -fuzztime=10m -fuzzminimizetime=20x -parallel 1 -timeout 0 ./cmd/vtic/

# What CI runs: install, then every test.
ci: setup test

# Validate and build a shipped example into ./out/EXAMPLE.
example name="aws-vpn":
    chmod 600 examples/{{name}}/secrets/*.psk
    go run ./cmd/vtic validate examples/{{name}}
    go run ./cmd/vtic build examples/{{name}} -o out/{{name}}
    find out/{{name}} -type f | sort

# Rewrite every golden file from the current output.
update-golden:
    VTIC_UPDATE=1 go test ./...

# Boot the qemu lab and run the two-router proof.
lab:
    go test -count=1 -v -timeout 30m ./internal/e2e/lab/

# The VM labs of work in progress (build tag wip): their scenarios have not
# yet passed end to end, so `just test` leaves them out (docs/ARCHITECTURE.md).
lab-wip:
    go test -tags wip -count=1 -p 1 -v -timeout 60m $(go list -tags wip ./internal/e2e/... | grep -E '/(halab|pkilab|v6lab)$')

# Build the vtic binary.
build:
    go build -o vtic ./cmd/vtic

# Scale figures (docs/performance.md): validate and build of 1,000 routers against their floors.
perf-build:
    docs/perf/measure.sh 1000

# vtic diff of two revisions of a 1,000-router site differing in 1% of the tunnels.
perf-diff:
    docs/perf/diff.sh 1000

# Whole-process growth at 10, 100, 1,000 and 5,000 routers.
perf-growth:
    RUNS=3 docs/perf/measure.sh 10 100 1000 5000

# Go benchmarks at every size, compared with benchstat.
bench-scale:
    docs/perf/growth.sh

# vtic apply of N VTIs against the shell way, in the lab VM (docs/performance.md).
scale-lab n="1000":
    VTIC_SCALE_N={{n}} go test -count=1 -run TestScaleLab -v -timeout 90m ./internal/e2e/scalelab/
