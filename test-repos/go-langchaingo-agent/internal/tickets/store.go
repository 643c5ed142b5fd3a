// Package tickets is the in-memory ticket store. It has no AI in it.
//
// An earlier prototype summarised tickets with github.com/sashabaranov/go-openai;
// summaries are now written by support staff, so that import is gone.
package tickets

import (
	"strings"
	"sync"
)

// Ticket is one support request.
type Ticket struct {
	ID      string
	Summary string
	// Source says where the ticket came from: "email", "web" or "openai-plugin" (legacy).
	Source string
}

// Store holds tickets by id.
type Store struct {
	mu      sync.RWMutex
	tickets map[string]Ticket
}

// NewStore returns a store with a few sample tickets.
func NewStore() *Store {
	return &Store{tickets: map[string]Ticket{
		"T-1042": {ID: "T-1042", Summary: "Invoice PDF is blank", Source: "email"},
		"T-1043": {ID: "T-1043", Summary: "Cannot reset password", Source: "web"},
	}}
}

// Get returns the ticket with id, ignoring case and surrounding space.
func (s *Store) Get(id string) (Ticket, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.tickets[strings.ToUpper(strings.TrimSpace(id))]
	return t, ok
}
