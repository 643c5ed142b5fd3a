package com.acme.support;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.stereotype.Service;

/** Drafts answers to support tickets with the configured chat model. */
@Service
public class AnswerService {
    private final ChatClient chat;

    public AnswerService(ChatClient.Builder builder) {
        this.chat = builder
                .defaultSystem("You draft short, polite answers to customer support tickets.")
                .build();
    }

    public String draft(Ticket ticket) {
        return chat.prompt()
                .user(ticket.subject() + "\n\n" + ticket.body())
                .call()
                .content();
    }
}
