// Package agent wires a LangChainGo agent to the ticket store.
package agent

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/tmc/langchaingo/agents"
	"github.com/tmc/langchaingo/chains"
	"github.com/tmc/langchaingo/llms/openai"
	"github.com/tmc/langchaingo/tools"

	"example.com/support-agent/internal/tickets"
)

// Agent answers questions using the ticket tool.
type Agent struct {
	executor *agents.Executor
}

// New builds the agent. The API key is read from OPENAI_API_KEY by the client.
func New(store *tickets.Store, model string) (*Agent, error) {
	if model == "" {
		model = "gpt-4o-mini"
	}
	llm, err := openai.New(openai.WithModel(model))
	if err != nil {
		return nil, err
	}
	lookup := ticketTool{store: store}
	agent := agents.NewOneShotAgent(llm, []tools.Tool{lookup}, agents.WithMaxIterations(4))
	return &Agent{executor: agents.NewExecutor(agent)}, nil
}

// Handle answers one question posted as JSON `{"question": "..."}`.
func (a *Agent) Handle(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Question string `json:"question"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	answer, err := chains.Run(r.Context(), a.executor, req.Question)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"answer": answer})
}

type ticketTool struct {
	store *tickets.Store
}

func (t ticketTool) Name() string { return "ticket_lookup" }

func (t ticketTool) Description() string {
	return "Looks up a support ticket by its id, e.g. T-1042."
}

func (t ticketTool) Call(ctx context.Context, input string) (string, error) {
	ticket, ok := t.store.Get(input)
	if !ok {
		return "no such ticket", nil
	}
	return ticket.Summary, nil
}
