//! trip-agent: plans a day trip with a Rig agent, then asks OpenAI directly for a
//! one-line title.

mod itinerary;

use async_openai::types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs};
use rig::completion::Prompt;
use rig::providers::openai;

use itinerary::Itinerary;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let city = std::env::args().nth(1).unwrap_or_else(|| "Lisbon".to_string());

    let planner = openai::Client::from_env()
        .agent(openai::GPT_4O)
        .preamble("You plan relaxed day trips. Answer with one stop per line.")
        .build();
    let plan = planner.prompt(format!("A day in {city}")).await?;
    let trip = Itinerary::from_lines(&city, &plan);

    let title = title(&trip).await?;
    println!("{title}\n{trip}");
    Ok(())
}

async fn title(trip: &Itinerary) -> anyhow::Result<String> {
    let client = async_openai::Client::new();
    let request = CreateChatCompletionRequestArgs::default()
        .model("gpt-4o-mini")
        .messages([ChatCompletionRequestUserMessageArgs::default()
            .content(format!("A short title for: {}", trip.summary()))
            .build()?
            .into()])
        .build()?;
    let response = client.chat().create(request).await?;
    Ok(response
        .choices
        .first()
        .and_then(|c| c.message.content.clone())
        .unwrap_or_default())
}
