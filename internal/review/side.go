package review

import (
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
)

// Side is one state of a site: what each router gets.
type Side struct {
	Label   string
	Routers []Router // sorted by name

	// HasPlan is true when the side was compiled here, so its routers'
	// tunnels and key references are known.
	HasPlan bool
}

// Router is one router's rendered files and, from a plan, its tunnels.
type Router struct {
	Name    string
	Files   []targets.File
	Tunnels []*compile.Tunnel
}

// FromPlan renders every router of a plan, as `vtic build` would.
func FromPlan(label string, plan *compile.Plan) (Side, error) {
	s := Side{Label: label, HasPlan: true, Routers: make([]Router, len(plan.Hosts))}
	err := bundle.RenderEach(plan.Hosts, func(i int, files []targets.File, _ *bundle.Manifest) error {
		h := plan.Hosts[i]
		s.Routers[i] = Router{Name: h.Name, Files: files, Tunnels: h.Tunnels}
		return nil
	})
	if err != nil {
		return Side{}, err
	}
	sortRouters(s.Routers)
	return s, nil
}

// byName indexes the routers by name, the first of a repeated name winning;
// Compare looks up every router of both sides.
func (s *Side) byName() map[string]*Router {
	m := make(map[string]*Router, len(s.Routers))
	for i := range s.Routers {
		if _, dup := m[s.Routers[i].Name]; !dup {
			m[s.Routers[i].Name] = &s.Routers[i]
		}
	}
	return m
}

// keys returns every resolved key value the side holds, from its plan and
// from its secret files, so that other output can be checked for them.
func (s *Side) keys() [][]byte {
	var keys [][]byte
	for _, r := range s.Routers {
		for _, t := range r.Tunnels {
			if t.PSK.Resolved && len(t.PSK.Value) > 0 {
				keys = append(keys, t.PSK.Value)
			}
		}
		for _, f := range r.Files {
			switch {
			case f.Secret && isPEMKey(f.Data):
				keys = append(keys, pemKeyLines(f.Data)...)
			case f.Secret:
				keys = append(keys, parseSecrets(f.Data).keys()...)
			}
		}
	}
	return keys
}
