# Left half-edited: an attribute with no value. Must be a counted skip.
resource "aws_sagemaker_endpoint" "draft" {
  name =
