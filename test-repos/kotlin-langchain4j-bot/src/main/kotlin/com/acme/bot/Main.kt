package com.acme.bot

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

fun main() = runBlocking {
    val key = System.getenv("OPENAI_API_KEY") ?: error("set OPENAI_API_KEY")
    val assistant = buildAssistant(key)
    while (true) {
        print("> ")
        val line = readlnOrNull()?.takeIf { it.isNotBlank() } ?: break
        val answer = withContext(Dispatchers.IO) { assistant.chat(line) }
        println(answer)
    }
}
