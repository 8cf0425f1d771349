#!/usr/bin/env bash
set -euo pipefail

: "${DEPLOY_ENV:=prod}"
export AWS_PROFILE=billing-${DEPLOY_ENV}
export VAULT_ADDR=https://vault.acme.io:8200
export VAULT_TOKEN=⟪hashicorp|hvs\.[A-Za-z0-9_-]{90}⟫
export DB_PASSWORD=⟪~reference:$(vault kv get -field=password secret/billing/db)⟫
export API_TOKEN=⟪~reference:"$(cat /run/secrets/api_token)"⟫
export GH_TOKEN=⟪~reference:"${GITHUB_TOKEN:?missing}"⟫
export DATADOG_API_KEY=⟪datadog|[a-f0-9]{32}⟫

# Legacy registry still needs basic auth.
curl -fsSL -u "deployer:⟪basic-auth|[A-Za-z0-9]{18}⟫" https://nexus.acme.io/service/rest/v1/status
curl -fsSL "https://deployer:⟪basic-auth|[A-Za-z0-9]{22}⟫@artifacts.acme.io/api/v1/promote?build=${BUILD_ID}"
curl -fsSL -H "Authorization: Bearer ⟪generic|[A-Za-z0-9]{48}⟫" https://deploy.acme.io/api/hooks/release
curl -fsSL -H "Authorization: Bearer ⟪~reference:$DEPLOY_TOKEN⟫" https://deploy.acme.io/api/hooks/verify
curl -fsSL -H "Authorization: token ⟪github|gho_[A-Za-z0-9]{36}⟫" https://api.github.com/repos/acme/billing/deployments
curl -fsSL -H "X-Api-Key: ⟪~reference:${STATUSPAGE_API_KEY}⟫" https://api.statuspage.io/v1/pages
curl -fsSL -H "Private-Token: ⟪gitlab|glpat-[A-Za-z0-9_-]{20}⟫" https://gitlab.acme.io/api/v4/projects

mysql --host=reporting.internal --user=reporting --password=⟪generic|[A-Za-z0-9]{15}⟫ -e 'select 1'
psql "postgresql://reporting:⟪database|[A-Za-z0-9]{18}⟫@reporting.internal:5432/reporting" -c 'select 1'
vault login --method=token --token ⟪hashicorp|hvs\.[A-Za-z0-9_-]{90}⟫
docker login ghcr.io --username acme-bot --password ⟪github|ghp_[A-Za-z0-9]{36}⟫
docker login registry.acme.io --username ci --password-stdin < ⟪~path:/run/secrets/registry_password⟫
helm repo add acme https://charts.acme.io --username ci --password ⟪generic|[A-Za-z0-9]{12}[%^][A-Za-z0-9]{5}⟫
kubectl create secret generic api-token --from-literal=token=⟪generic|[A-Za-z0-9]{32}⟫
az login --service-principal -u ⟪~uuid:9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d⟫ -p ⟪azure|[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{34}⟫ --tenant 1f2e3d4c-5b6a-4798-8a6b-5c4d3e2f1a0b
gh auth login --with-token < ⟪~path:~/.config/acme/gh-token⟫
npm config set //registry.npmjs.org/:_authToken ⟪~reference:"${NPM_TOKEN}"⟫
twine upload --username __token__ --password ⟪pypi|pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{100}⟫ dist/*
aws configure set aws_secret_access_key ⟪~reference:"$AWS_SECRET_ACCESS_KEY"⟫
git push https://oauth2:⟪gitlab|glpat-[A-Za-z0-9_-]{20}⟫@gitlab.acme.io/billing/infra.git HEAD:main
