package com.acme.bot

import dev.langchain4j.memory.chat.MessageWindowChatMemory
import dev.langchain4j.model.openai.OpenAiChatModel
import dev.langchain4j.service.AiServices
import dev.langchain4j.service.SystemMessage

interface Assistant {
    @SystemMessage("You answer questions about the Acme product catalogue in two sentences.")
    fun chat(message: String): String
}

fun buildAssistant(apiKey: String): Assistant {
    val model = OpenAiChatModel.builder()
        .apiKey(apiKey)
        .modelName("gpt-4o-mini")
        .build()
    return AiServices.builder(Assistant::class.java)
        .chatModel(model)
        .chatMemory(MessageWindowChatMemory.withMaxMessages(10))
        .build()
}
