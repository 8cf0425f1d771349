# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.54.1"
  constraints = "~> 5.54"
  hashes = [
    "⟪~lockfile-integrity|h1:[A-Za-z0-9+/]{43}=⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.2"
  constraints = "~> 3.6"
  hashes = [
    "⟪~lockfile-integrity|h1:[A-Za-z0-9+/]{43}=⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
  ]
}

provider "registry.terraform.io/integrations/github" {
  version     = "6.2.1"
  constraints = "~> 6.2"
  hashes = [
    "⟪~lockfile-integrity|h1:[A-Za-z0-9+/]{43}=⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
  ]
}

provider "registry.terraform.io/cloudflare/cloudflare" {
  version     = "4.35.0"
  constraints = "~> 4.35"
  hashes = [
    "⟪~lockfile-integrity|h1:[A-Za-z0-9+/]{43}=⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
  ]
}

provider "registry.terraform.io/digitalocean/digitalocean" {
  version     = "2.39.1"
  constraints = "~> 2.39"
  hashes = [
    "⟪~lockfile-integrity|h1:[A-Za-z0-9+/]{43}=⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
  ]
}

provider "registry.terraform.io/hashicorp/azurerm" {
  version     = "3.108.0"
  constraints = "~> 3.108"
  hashes = [
    "⟪~lockfile-integrity|h1:[A-Za-z0-9+/]{43}=⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
  ]
}

provider "registry.terraform.io/hashicorp/vault" {
  version     = "4.2.0"
  constraints = "~> 4.2"
  hashes = [
    "⟪~lockfile-integrity|h1:[A-Za-z0-9+/]{43}=⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
  ]
}

provider "registry.terraform.io/datadog/datadog" {
  version     = "3.40.0"
  constraints = "~> 3.40"
  hashes = [
    "⟪~lockfile-integrity|h1:[A-Za-z0-9+/]{43}=⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
    "⟪~lockfile-integrity|zh:[a-f0-9]{64}⟫",
  ]
}
