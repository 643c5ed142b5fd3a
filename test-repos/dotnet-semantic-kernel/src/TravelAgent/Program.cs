// TravelAgent: a console chat that books trips through Semantic Kernel plugins,
// with the model deployed on Azure OpenAI.
using Azure.AI.OpenAI;
using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using TravelAgent.Plugins;

var config = new ConfigurationBuilder()
    .AddEnvironmentVariables(prefix: "TRAVEL_")
    .Build();

var builder = Kernel.CreateBuilder();
builder.AddAzureOpenAIChatCompletion(
    deploymentName: config["DEPLOYMENT"] ?? "gpt-4o",
    endpoint: config["ENDPOINT"] ?? throw new InvalidOperationException("TRAVEL_ENDPOINT is not set"),
    apiKey: config["API_KEY"] ?? throw new InvalidOperationException("TRAVEL_API_KEY is not set"));
builder.Plugins.AddFromType<FlightPlugin>();
var kernel = builder.Build();

var chat = kernel.GetRequiredService<IChatCompletionService>();
var settings = new OpenAIPromptExecutionSettings
{
    FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(),
};
var history = new ChatHistory("You help employees book business trips.");

while (Console.ReadLine() is { Length: > 0 } line)
{
    history.AddUserMessage(line);
    var reply = await chat.GetChatMessageContentAsync(history, settings, kernel);
    history.Add(reply);
    Console.WriteLine(reply.Content);
}
