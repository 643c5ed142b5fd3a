# frozen_string_literal: true

require_relative "openai_compat"

# Notes from the 2024 vendor review. Nothing here calls a model.
#
# We tried OpenAI::Client.new(uri_base: "https://api.groq.com/openai") for Groq,
# and RubyLLM.chat(model: "gpt-4.1") before settling on the two SDKs in the Gemfile.
# require "ruby_llm"
# Langchain::LLM::Cohere.new(api_key: key) was too slow for us.
module VendorReview
  CANDIDATES = ["openai", "anthropic", "cohere", "langchainrb", "ruby_llm"].freeze

  SUMMARY = <<~TEXT
    require "omniai/openai"
    OmniAI::OpenAI::Client.new was considered; claude-3-opus-20240229 was too costly.
  TEXT

  def self.report
    OpenAIUsageReport.new(month: Date.today.month).to_s +
      "We evaluated Anthropic::Client and OpenAI::Client side by side."
  end
end
