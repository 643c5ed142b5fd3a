plugins {
    alias(libs.plugins.kotlin.jvm)
    application
}

repositories {
    mavenCentral()
}

dependencies {
    implementation(platform("dev.langchain4j:langchain4j-bom:1.0.0"))
    implementation(libs.bundles.llm)
    implementation(libs.kotlinx.coroutines)
    // implementation("dev.langchain4j:langchain4j-anthropic") — evaluated, not used
    testImplementation(libs.junit.jupiter)
}

kotlin {
    jvmToolchain(21)
}

application {
    mainClass.set("com.acme.bot.MainKt")
}

tasks.test {
    useJUnitPlatform()
}
