package review

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
)

// The JSON schema of `vtic diff --format json`. Field names are part of
// vtic's interface: add fields, never rename or remove them.
//
// Tunnels unknown (tunnels_compared false: a build directory without
// plans) are null, never zero or empty: summary.tunnels and every
// router's tunnels. Known, a router's tunnels are a list, [] for none.
type (
	jsonReport struct {
		Changed         bool         `json:"changed"`
		Base            string       `json:"base"`
		Head            string       `json:"head"`
		TunnelsCompared bool         `json:"tunnels_compared"`
		Summary         jsonSummary  `json:"summary"`
		Routers         []jsonRouter `json:"routers"`
	}
	jsonSummary struct {
		Routers jsonTally  `json:"routers"`
		Tunnels *jsonTally `json:"tunnels"`
		Files   jsonTally  `json:"files"`
	}
	jsonTally struct {
		Added     int `json:"added"`
		Removed   int `json:"removed"`
		Changed   int `json:"changed"`
		Unchanged int `json:"unchanged"`
	}
	jsonRouter struct {
		Name    string       `json:"name"`
		Status  Status       `json:"status"`
		Tunnels []jsonTunnel `json:"tunnels"`
		Files   []jsonFile   `json:"files"`
	}
	jsonTunnel struct {
		Name    string        `json:"name"`
		Status  Status        `json:"status"`
		Changes []FieldChange `json:"changes,omitempty"`
	}
	jsonFile struct {
		Path    string      `json:"path"`
		Status  Status      `json:"status"`
		OldMode string      `json:"old_mode,omitempty"`
		NewMode string      `json:"new_mode,omitempty"`
		Secret  bool        `json:"secret,omitempty"`
		Diff    string      `json:"diff,omitempty"`
		Entries []jsonEntry `json:"entries,omitempty"`
		Note    string      `json:"note,omitempty"`
		Repeats string      `json:"repeats,omitempty"`
	}
	jsonEntry struct {
		Name    string   `json:"name"`
		Status  Status   `json:"status"`
		Details []string `json:"details,omitempty"`
	}
)

// MarshalJSON gives a field change lowercase keys and leaves out the
// missing side.
func (c FieldChange) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Field string `json:"field"`
		Old   string `json:"old,omitempty"`
		New   string `json:"new,omitempty"`
		Note  string `json:"note,omitempty"`
	}{c.Field, c.Old, c.New, c.Note})
}

// WriteJSON prints the report as one indented JSON object: what the text
// and markdown reports show, with every router, file and tunnel listed
// with its status, unchanged ones included.
func WriteJSON(w io.Writer, r *Report) error {
	c := r.Counts()
	out := jsonReport{
		Changed: r.Changed(), Base: r.Base, Head: r.Head, TunnelsCompared: r.TunnelsCompared,
		Summary: jsonSummary{Routers: jsonTally(c.Routers), Files: jsonTally(c.Files)},
		Routers: []jsonRouter{},
	}
	if r.TunnelsCompared {
		t := jsonTally(c.Tunnels)
		out.Summary.Tunnels = &t
	}
	for _, rc := range r.Routers {
		jr := jsonRouter{Name: rc.Name, Status: rc.Status, Files: []jsonFile{}}
		if r.TunnelsCompared {
			jr.Tunnels = []jsonTunnel{}
		}
		for _, t := range rc.Tunnels {
			jr.Tunnels = append(jr.Tunnels, jsonTunnel(t))
		}
		for _, f := range rc.Files {
			jf := jsonFile{Path: f.Path, Status: f.Status, OldMode: mode(f.OldMode, f.Status != Added),
				NewMode: mode(f.NewMode, f.Status != Removed), Secret: f.Secret, Diff: f.Diff, Note: f.Note, Repeats: f.Repeats}
			for _, e := range f.Entries {
				jf.Entries = append(jf.Entries, jsonEntry(e))
			}
			jr.Files = append(jr.Files, jf)
		}
		out.Routers = append(out.Routers, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func mode(m fs.FileMode, present bool) string {
	if !present {
		return ""
	}
	return fmt.Sprintf("%04o", m.Perm())
}
