package bundle

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
)

// entryJSON is Entry as written: the mode as an octal string ("0600"), the
// way people read file modes.
type entryJSON struct {
	Path   string `json:"path"`
	Mode   string `json:"mode"`
	SHA256 string `json:"sha256,omitempty"`
	Secret bool   `json:"secret,omitempty"`
	// Internal is omitted when false, so manifests without internal
	// files read as before.
	Internal bool   `json:"internal,omitempty"`
	Repeats  string `json:"repeats,omitempty"`
}

// MarshalJSON writes the mode in octal.
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(entryJSON{Path: e.Path, Mode: fmt.Sprintf("%04o", uint32(e.Mode.Perm())), SHA256: e.SHA256, Secret: e.Secret, Internal: e.Internal, Repeats: e.Repeats})
}

// UnmarshalJSON reads an entry written by MarshalJSON.
func (e *Entry) UnmarshalJSON(b []byte) error {
	var j entryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	m, err := strconv.ParseUint(j.Mode, 8, 32)
	if err != nil || m > 0o777 {
		return fmt.Errorf("manifest entry %s: invalid mode %q", j.Path, j.Mode)
	}
	*e = Entry{Path: j.Path, Mode: fs.FileMode(m), SHA256: j.SHA256, Secret: j.Secret, Internal: j.Internal, Repeats: j.Repeats}
	return nil
}

// DecodeManifest parses a manifest written by Encode.
func DecodeManifest(b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("parse manifest: %w", err)
	}
	return &m, nil
}
