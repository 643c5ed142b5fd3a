rootProject.name = "langchain4j-bot"
