package sandbox

import "sync"

// SmartDocumentor emulates the SmartDocumentor API under PrefixSmartDocumentor.
type SmartDocumentor struct {
	sb *Sandbox
	mu sync.Mutex
}

func newSmartDocumentor(sb *Sandbox) *SmartDocumentor {
	p := &SmartDocumentor{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data.
func (p *SmartDocumentor) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
}

func (p *SmartDocumentor) routes() {}
