# frozen_string_literal: true

Gem::Specification.new do |spec|
  spec.name = "billing"
  spec.version = "0.1.0"
  spec.summary = "Invoices for the support bot (no AI; the bot's OpenAI costs are tracked elsewhere)"
  spec.files = Dir["lib/**/*.rb"]

  spec.add_dependency "money", "~> 6.19"
  spec.add_development_dependency "rspec", "~> 3.13"
end
