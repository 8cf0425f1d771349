variable "github_token" {
  type        = string
  description = "GitHub token used by the provider"
  sensitive   = true
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = ⟪~placeholder:""⟫
}

variable "api_token" {
  type    = string
  default = ⟪~placeholder:"REPLACE_ME"⟫
}

variable "stripe_key" {
  type        = string
  description = "Stripe key; set TF_VAR_stripe_key in CI"
}

variable "token_ttl" {
  type    = number
  default = ⟪~number:3600⟫
}

variable "secret_name" {
  type    = string
  default = ⟪~key-name:"billing/prod/db-credentials"⟫
}
