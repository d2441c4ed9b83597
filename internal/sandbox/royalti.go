package sandbox

import "sync"

// Royalti emulates the Royalti API under PrefixRoyalti.
type Royalti struct {
	sb *Sandbox
	mu sync.Mutex
}

func newRoyalti(sb *Sandbox) *Royalti {
	p := &Royalti{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data.
func (p *Royalti) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
}

func (p *Royalti) routes() {}
