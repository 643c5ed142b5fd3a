package com.acme.support;

import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class TicketController {
    private final Ticket.Store store = new Ticket.Store();
    private final AnswerService answers;

    public TicketController(AnswerService answers) {
        this.answers = answers;
    }

    @GetMapping("/tickets")
    public List<Ticket> list() {
        return store.all();
    }

    @PostMapping("/tickets")
    public String open(@RequestBody Ticket ticket) {
        Ticket t = new Ticket(ticket.id(), ticket.subject(), ticket.body(), Instant.now());
        store.add(t);
        return answers.draft(t);
    }

    @GetMapping("/tickets/{id}")
    public Ticket get(@PathVariable long id) {
        return store.all().stream().filter(t -> t.id() == id).findFirst().orElseThrow();
    }
}
