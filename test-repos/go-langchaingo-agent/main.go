// Command support-agent answers customer questions about their tickets with an LLM
// agent that can look tickets up.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"

	"example.com/support-agent/internal/agent"
	"example.com/support-agent/internal/tickets"
)

func main() {
	store := tickets.NewStore()
	a, err := agent.New(store, os.Getenv("MODEL_NAME"))
	if err != nil {
		log.Fatal(err)
	}

	r := chi.NewRouter()
	r.Post("/ask", a.Handle)
	log.Fatal(http.ListenAndServe(":8080", r))
}
