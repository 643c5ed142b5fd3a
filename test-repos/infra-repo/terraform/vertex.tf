resource "google_vertex_ai_endpoint" "ranker" {
  name         = "ticket-ranker"
  display_name = "ticket-ranker"
  location     = "europe-west4"
}

# A dataset is data, not a served model.
resource "google_vertex_ai_dataset" "tickets" {
  display_name        = "tickets"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/text_1.0.0.yaml"
  region              = "europe-west4"
}
