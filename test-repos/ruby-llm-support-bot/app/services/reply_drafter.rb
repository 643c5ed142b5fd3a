# frozen_string_literal: true

# Drafts a first reply to a support ticket for an agent to review.
class ReplyDrafter
  MODEL = "gpt-4o-mini"

  def initialize(client: OpenAI::Client.new)
    @client = client
  end

  def draft(ticket)
    response = @client.chat(
      parameters: {
        model: MODEL,
        temperature: 0.3,
        messages: [
          { role: "system", content: "You write short, polite support replies." },
          { role: "user", content: ticket.body }
        ]
      }
    )
    response.dig("choices", 0, "message", "content")
  end
end
