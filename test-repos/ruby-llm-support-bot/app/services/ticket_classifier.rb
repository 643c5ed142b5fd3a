# frozen_string_literal: true

require "anthropic"

# Sorts incoming tickets into queues with Claude.
class TicketClassifier
  QUEUES = %w[billing bug feature_request other].freeze

  def initialize
    @client = Anthropic::Client.new(api_key: ENV["ANTHROPIC_API_KEY"])
  end

  def classify(ticket)
    message = @client.messages.create(
      model: "claude-3-5-haiku-latest",
      max_tokens: 16,
      system: "Answer with one of: #{QUEUES.join(', ')}.",
      messages: [{ role: "user", content: ticket.subject }]
    )
    queue = message.content.first.text.strip
    QUEUES.include?(queue) ? queue : "other"
  end
end
