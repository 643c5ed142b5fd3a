# frozen_string_literal: true

class Ticket < ApplicationRecord
  belongs_to :customer
  validates :subject, :body, presence: true

  scope :open, -> { where(closed_at: nil) }

  def assign_queue!
    update!(queue: TicketClassifier.new.classify(self))
  end
end
