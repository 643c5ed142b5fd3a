package com.acme.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

// We used to call OpenAI from here directly:
// import com.openai.client.OpenAIClient;
// Now every model call goes through AnswerService.
public record Ticket(long id, String subject, String body, Instant openedAt) {

    /** In-memory store for the demo; tickets never leave the service. */
    public static final class Store {
        private final List<Ticket> tickets = new ArrayList<>();

        public void add(Ticket t) {
            tickets.add(t);
        }

        public List<Ticket> all() {
            return List.copyOf(tickets);
        }
    }
}
