package lang

// names indexes a site's routers and peers by name, so that resolving every
// tunnel end (compile, MarkOf) is linear in the size of the site rather than
// quadratic. It remembers the slices it was built from and is rebuilt when
// Routers or Peers is appended to or replaced.
type names struct {
	routers []*Router
	peers   []*Peer
	router  map[string]*Router
	peer    map[string]*Peer
}

func sameSlice[T any](a, b []*T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func (s *Site) index() *names {
	if n := s.names.Load(); n != nil && sameSlice(n.routers, s.Routers) && sameSlice(n.peers, s.Peers) {
		return n
	}
	n := &names{
		routers: s.Routers,
		peers:   s.Peers,
		router:  make(map[string]*Router, len(s.Routers)),
		peer:    make(map[string]*Peer, len(s.Peers)),
	}
	// The first declaration of a duplicated name wins, as in a scan.
	for _, r := range s.Routers {
		if _, dup := n.router[r.Name]; !dup {
			n.router[r.Name] = r
		}
	}
	for _, p := range s.Peers {
		if _, dup := n.peer[p.Name]; !dup {
			n.peer[p.Name] = p
		}
	}
	s.names.Store(n)
	return n
}

// Router returns the router with the given name, or nil.
func (s *Site) Router(name string) *Router {
	if r := s.index().router[name]; r != nil && r.Name == name {
		return r
	}
	return nil
}

// Peer returns the peer with the given name, or nil.
func (s *Site) Peer(name string) *Peer {
	if p := s.index().peer[name]; p != nil && p.Name == name {
		return p
	}
	return nil
}
