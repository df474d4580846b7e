package gitrev

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// Blobs reads blobs of a repository through one long-running
// `git cat-file --batch`, so that a site of thousands of key files costs
// one process, not one per file.
//
// By default blobs come out raw, as stored. With filters they come out as
// a checkout would write them, through the filters (line endings,
// git-lfs, git-crypt) that .gitattributes chooses by path: that runs the
// commands the configuration gives those filters, and the attributes are
// read from the work tree, which a pull request writes.
type Blobs struct {
	mu      sync.Mutex
	filters bool
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	errs    strings.Builder
	closed  bool
}

// OpenBlobs starts the git process that reads blobs, through the
// repository's filters when filters is true; Close ends it.
func (r *Repo) OpenBlobs(ctx context.Context, filters bool) (*Blobs, error) {
	b := &Blobs{filters: filters}
	// -z: requests end with NUL, so that any path can be named.
	args := []string{"cat-file", "--batch", "-z"}
	if filters {
		args = append(args, "--filters")
	}
	b.cmd = command(ctx, r.top, args...)
	b.cmd.Stderr = &b.errs
	in, err := b.cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	out, err := b.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	b.in, b.out = in, bufio.NewReaderSize(out, 64<<10)
	return b, nil
}

// Read returns the blob oid, which is at path (relative to the work
// tree's root): raw, or with filters as it would be checked out there. A
// blob larger than limit is an error; its bytes are skipped so that the
// next read stays in step.
func (b *Blobs) Read(oid, path string, limit int64) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if strings.ContainsAny(oid, " \x00") {
		return nil, fmt.Errorf("object id %q of %s is not one", oid, path)
	}
	req := oid
	if b.filters {
		// Only the filters need the path, to choose by.
		if strings.ContainsRune(path, 0) {
			return nil, fmt.Errorf("path %q holds a NUL byte", path)
		}
		req += " " + path
	}
	if _, err := io.WriteString(b.in, req+"\x00"); err != nil {
		return nil, b.fail(err)
	}
	header, err := b.out.ReadString('\n')
	if err != nil {
		return nil, b.fail(err)
	}
	f := strings.Fields(header)
	if len(f) == 2 && f[1] == "missing" {
		return nil, fmt.Errorf("git object %s (%s) is missing", oid, path)
	}
	if len(f) != 3 {
		return nil, fmt.Errorf("git cat-file: unexpected answer %q", strings.TrimSpace(header))
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("git cat-file: unexpected size in %q", strings.TrimSpace(header))
	}
	if size > limit {
		if _, err := b.out.Discard(int(size) + 1); err != nil {
			return nil, b.fail(err)
		}
		return nil, fmt.Errorf("%s is %d bytes; the limit is %d", path, size, limit)
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(b.out, data); err != nil {
		return nil, b.fail(err)
	}
	if data[size] != '\n' {
		return nil, errors.New("git cat-file: an object's content did not end where its size said")
	}
	return data[:size], nil
}

// fail explains an error of the pipe with what git said: git is stopped
// first, so that all it wrote to stderr is there.
func (b *Blobs) fail(err error) error {
	b.Close()
	if msg := strings.TrimSpace(b.errs.String()); msg != "" {
		return fmt.Errorf("git cat-file: %s", msg)
	}
	return fmt.Errorf("git cat-file: %w", err)
}

// Close ends git; it may be called more than once.
func (b *Blobs) Close() {
	if b.closed {
		return
	}
	b.closed = true
	b.in.Close()
	b.cmd.Wait()
}
