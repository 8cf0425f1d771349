Stripe.api_key = "⟪stripe|sk_live_[A-Za-z0-9]{24}⟫"
Twilio.configure do |config|
  config.account_sid = "AC0f1e2d3c4b5a69788796a5b4c3d2e1f0"
  config.auth_token = "⟪twilio|[0-9a-f]{32}⟫"
end
Octokit.configure { |c| c.access_token = "⟪github|ghp_[A-Za-z0-9]{36}⟫" }
Mailgun.configure { |c| c.api_key = "⟪mailgun|key-[0-9a-f]{32}⟫" }
OpenAI.configure { |c| c.access_token = ⟪~reference:ENV.fetch("OPENAI_ACCESS_TOKEN")⟫ }
Rails.application.config.api_token = ⟪~reference:Rails.application.credentials.api_token⟫
Rails.application.config.admin_password = "⟪generic|[A-Za-z0-9]{8}[!@][A-Za-z0-9]{8}⟫"
Rails.application.config.password_length = ⟪~number:8..128⟫
