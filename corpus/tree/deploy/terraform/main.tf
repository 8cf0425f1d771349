terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "billing/prod.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "⟪aws|AKIA[2-7A-Z]{16}⟫"
  secret_key = "⟪aws|[A-Za-z0-9/+]{40}⟫"
}

provider "github" {
  owner = "acme"
  token = ⟪~reference:var.github_token⟫
}

provider "cloudflare" {
  api_token = "⟪cloudflare|[A-Za-z0-9_-]{40}⟫"
}

provider "digitalocean" {
  token = "⟪digitalocean|dop_v1_[a-f0-9]{64}⟫"
}

provider "azurerm" {
  features {}
  subscription_id = ⟪~uuid:"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"⟫
  client_id       = ⟪~uuid:"6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"⟫
  client_secret   = "⟪azure|[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{34}⟫"
  tenant_id       = ⟪~uuid:"1f2e3d4c-5b6a-4798-8a6b-5c4d3e2f1a0b"⟫
}

resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "billing" {
  identifier        = "billing-prod"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "billing"
  password          = ⟪~reference:random_password.db.result⟫
  allocated_storage = 50
}

resource "aws_db_instance" "reporting" {
  identifier     = "reporting-prod"
  engine         = "mysql"
  instance_class = "db.t4g.small"
  username       = "reporting"
  password       = "⟪generic|[A-Za-z0-9]{10}[#!][A-Za-z0-9]{9}⟫"
}

resource "aws_secretsmanager_secret_version" "stripe" {
  secret_id     = ⟪~reference:aws_secretsmanager_secret.stripe.id⟫
  secret_string = ⟪~reference:jsonencode({ key = var.stripe_key })⟫
}

resource "aws_iam_access_key" "ci" {
  user    = aws_iam_user.ci.name
  pgp_key = ⟪~reference:"keybase:acme_ops"⟫
}

data "vault_generic_secret" "db" {
  path = ⟪~path:"secret/data/billing/db"⟫
}

locals {
  db_password = ⟪~reference:data.vault_generic_secret.db.data["password"]⟫
  api_token   = ⟪~placeholder:"${var.api_token}"⟫
  secret_arn  = ⟪~reference:"arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/db-Xk2a9Q"⟫
}

resource "datadog_api_key" "billing" {
  name = "billing"
}

resource "tfe_variable" "hcp_token" {
  key       = "TFE_TOKEN"
  value     = "⟪hashicorp|[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{67}⟫"
  category  = "env"
  sensitive = true
}
