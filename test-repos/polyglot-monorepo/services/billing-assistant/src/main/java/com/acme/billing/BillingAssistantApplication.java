package com.acme.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BillingAssistantApplication {
    public static void main(String[] args) {
        SpringApplication.run(BillingAssistantApplication.class, args);
    }
}
