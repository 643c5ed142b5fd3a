package com.acme.billing;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class BillingController {

    private final ChatClient chat;

    public BillingController(ChatClient.Builder builder) {
        this.chat = builder
                .defaultSystem("You answer questions about Acme invoices. Never invent amounts.")
                .build();
    }

    public record Question(String customerId, String text) {}

    @PostMapping("/billing/ask")
    public String ask(@RequestBody Question q) {
        return chat.prompt().user(q.text()).call().content();
    }
}
