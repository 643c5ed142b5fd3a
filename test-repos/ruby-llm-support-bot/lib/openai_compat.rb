# frozen_string_literal: true

# Shapes our usage numbers like the provider's billing export; no API calls.
class OpenAIUsageReport
  def initialize(month:)
    @month = month
  end

  def to_s
    "usage for month #{@month}"
  end
end
