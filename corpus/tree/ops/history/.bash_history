ls -la
export GITHUB_TOKEN=⟪github|ghp_[A-Za-z0-9]{36}⟫
gh repo list acme
mysql -h reporting.internal -u root -p⟪~reference:"$MYSQL_ROOT_PASSWORD"⟫
PGPASSWORD=⟪generic|[A-Za-z0-9]{18}⟫ psql -h billing-db.prod.internal -U billing billing
curl -u admin:⟪basic-auth|[A-Za-z0-9]{16}⟫ https://grafana.prod.internal/api/dashboards
redis-cli -h cache.prod.internal -a ⟪generic|[A-Za-z0-9]{32}⟫ ping
aws configure set aws_access_key_id ⟪aws|AKIA[2-7A-Z]{16}⟫
aws configure set aws_secret_access_key ⟪aws|[A-Za-z0-9/+]{40}⟫
export OPENAI_API_KEY=⟪openai|sk-proj-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}⟫
export ANTHROPIC_API_KEY=⟪anthropic|sk-ant-api03-[A-Za-z0-9_-]{93}AA⟫
git clone https://acme-bot:⟪github|ghp_[A-Za-z0-9]{36}⟫@github.com/acme/infra.git
npm set //registry.npmjs.org/:_authToken=⟪npm|npm_[A-Za-z0-9]{36}⟫
docker login -u acmebot -p ⟪dockerhub|dckr_pat_[A-Za-z0-9_-]{27}⟫
kubectl config set-credentials ci --token=⟪jwt|eyJhbGciOiJSUzI1NiIsImtpZCI6I[A-Za-z0-9_-]{40}\.eyJpc3MiOi[A-Za-z0-9_-]{150}\.[A-Za-z0-9_-]{342}⟫
git log --oneline ⟪~commit-sha|[a-f0-9]{40}⟫..HEAD
sha256sum billing.tar.gz # ⟪~hash|[a-f0-9]{64}⟫
history -c
