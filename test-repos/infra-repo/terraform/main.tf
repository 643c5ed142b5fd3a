terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "~> 4.0" }
    aws     = { source = "hashicorp/aws", version = "~> 5.80" }
  }
}

variable "chat_model" {
  type    = string
  default = "gpt-4o-mini"
}

variable "openai_api_key" {
  type      = string
  sensitive = true
}

resource "azurerm_cognitive_account" "openai" {
  name                = "acme-support-openai"
  location            = "swedencentral"
  resource_group_name = "rg-support"
  kind                = "OpenAI"
  sku_name            = "S0"
}

resource "azurerm_cognitive_account" "speech" {
  name                = "acme-support-speech"
  location            = "swedencentral"
  resource_group_name = "rg-support"
  kind                = "SpeechServices"
  sku_name            = "S0"
}

resource "azurerm_cognitive_deployment" "chat" {
  name                 = "chat"
  cognitive_account_id = azurerm_cognitive_account.openai.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-11-20"
  }
  sku {
    name = "Standard"
  }
}

resource "aws_bedrockagent_agent" "triage" {
  agent_name              = "ticket-triage"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "Classify support tickets and draft a first answer."
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.pii.guardrail_id
    guardrail_version    = "DRAFT"
  }
}

resource "aws_bedrock_guardrail" "pii" {
  name                      = "support-pii"
  blocked_input_messaging   = "This request was blocked."
  blocked_outputs_messaging = "This answer was blocked."
}

resource "aws_lambda_function" "summarizer" {
  function_name = "ticket-summarizer"
  role          = aws_iam_role.lambda.arn
  image_uri     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/summarizer:1.2"
  package_type  = "Image"
  environment {
    variables = {
      OPENAI_API_KEY  = var.openai_api_key
      OPENAI_MODEL    = var.chat_model
      LANGFUSE_HOST   = "https://cloud.langfuse.com"
    }
  }
}
