package sandbox

import "sync"

// DocSpace emulates the DocSpace API under PrefixDocSpace.
type DocSpace struct {
	sb *Sandbox
	mu sync.Mutex
}

func newDocSpace(sb *Sandbox) *DocSpace {
	p := &DocSpace{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data.
func (p *DocSpace) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
}

func (p *DocSpace) routes() {}
