package sandbox

import "sync"

// GoldLeaf emulates the GoldLeaf API under PrefixGoldLeaf.
type GoldLeaf struct {
	sb *Sandbox
	mu sync.Mutex
}

func newGoldLeaf(sb *Sandbox) *GoldLeaf {
	p := &GoldLeaf{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data.
func (p *GoldLeaf) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
}

func (p *GoldLeaf) routes() {}
