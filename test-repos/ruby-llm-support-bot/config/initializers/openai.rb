# frozen_string_literal: true

OpenAI.configure do |config|
  config.access_token = ENV.fetch("OPENAI_API_KEY", nil)
  config.uri_base = "https://api.openai.com/"
  config.request_timeout = 30
end
