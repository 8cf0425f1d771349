package config

import "testing"

func TestLoad(t *testing.T) {
	t.Setenv("API_TOKEN", ⟪~test-fixture:"test-token-abc123"⟫)
	t.Setenv("WORKER_PASSWORD", ⟪~test-fixture:"fake-password-99"⟫)
	c := Load()
	if c.Token != "test-token-abc123" {
		t.Fatalf("token = %q", c.Token)
	}
	cases := []struct{ in, want string }{
		{in: ⟪~test-fixture:"mock_secret_value1"⟫, want: "***"},
		{in: ⟪~test-fixture:"dummy-api-key-7"⟫, want: "***"},
	}
	for _, tc := range cases {
		_ = tc
	}
	password := ⟪~test-fixture:"invalid-pass-00"⟫
	_ = password
}
