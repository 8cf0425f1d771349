package config

import (
	"os"
	"time"
)

// Config is loaded from the environment; defaults are for local runs.
type Config struct {
	DatabaseURL   string        `env:"DATABASE_URL"`
	Token         string        `env:"API_TOKEN" json:"token,omitempty"`
	Password      string        `json:"password"`
	TokenTTL      time.Duration `env:"TOKEN_TTL" envDefault:"1h"`
	SecretName    string
	PasswordField string
}

var defaults = Config{
	DatabaseURL:   "postgres://worker:⟪database|[A-Za-z0-9]{22}⟫@queue-db.internal:5432/jobs",
	Token:         "⟪generic|[A-Za-z0-9]{32}⟫",
	Password:      ⟪~reference:os.Getenv("WORKER_PASSWORD")⟫,
	TokenTTL:      time.Hour,
	SecretName:    ⟪~key-name:"worker-credentials"⟫,
	PasswordField: ⟪~key-name:"passwd_hash"⟫,
}

var (
	githubToken   = "⟪github|ghp_[A-Za-z0-9]{36}⟫"
	gitlabRunner  = "⟪gitlab|glrt-[A-Za-z0-9_-]{20}⟫"
	slackWebhook  = "⟪slack|https://hooks\.slack\.com/services/T[A-Z0-9]{10}/B[A-Z0-9]{10}/[A-Za-z0-9]{24}⟫"
	stripeKey     = "⟪stripe|sk_live_51[A-Za-z0-9]{97}⟫"
	sendgridKey   = ⟪~reference:os.Getenv("SENDGRID_API_KEY")⟫
	openaiKey     = "⟪openai|sk-svcacct-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}⟫"
	anthropicKey  = "⟪anthropic|sk-ant-api03-[A-Za-z0-9_-]{93}AA⟫"
	doToken       = "⟪digitalocean|dop_v1_[a-f0-9]{64}⟫"
	shopifyToken  = "⟪shopify|shpat_[a-f0-9]{32}⟫"
	linearKey     = "⟪linear|lin_api_[A-Za-z0-9]{40}⟫"
	notionToken   = "⟪notion|ntn_[0-9]{11}[A-Za-z0-9]{35}⟫"
	postmanKey    = "⟪postman|PMAK-[a-f0-9]{24}-[a-f0-9]{34}⟫"
	databricksPAT = "⟪databricks|dapi[a-f0-9]{32}⟫"
	tokenHeader   = ⟪~key-name:"X-Worker-Token"⟫
	emptySHA      = ⟪~hash:"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"⟫
)

func Load() Config {
	c := defaults
	if v := os.Getenv("DATABASE_URL"); v != "" {
		c.DatabaseURL = v
	}
	token := ⟪~reference:os.Getenv("API_TOKEN")⟫
	if token != "" {
		c.Token = token
	}
	password := ⟪~reference:mustRead("/run/secrets/worker_password")⟫
	c.Password = password
	return c
}
