package com.acme.bot

/** Static product data; nothing here talks to a model. "import dev.langchain4j" is just text. */
data class Product(val sku: String, val name: String, val priceCents: Long)

object Catalogue {
    val products = listOf(
        Product("A-100", "Anvil", 4_999),
        Product("R-200", "Rocket skates", 12_999),
    )

    fun find(sku: String): Product? = products.firstOrNull { it.sku == sku }
}
