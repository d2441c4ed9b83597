package sandbox

import "sync"

// AttackForge emulates the AttackForge API under PrefixAttackForge.
type AttackForge struct {
	sb *Sandbox
	mu sync.Mutex
}

func newAttackForge(sb *Sandbox) *AttackForge {
	p := &AttackForge{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data.
func (p *AttackForge) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
}

func (p *AttackForge) routes() {}
