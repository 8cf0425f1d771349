import { z } from "zod";

const schema = z.object({
  apiBaseUrl: z.string().url(),
  apiKey: z.string().min(1),
});

export interface AppConfig {
  apiBaseUrl: string;
  apiKey: string;
  sentryDsn?: string;
}

export const config: AppConfig = {
  apiBaseUrl: ⟪~reference:process.env.NEXT_PUBLIC_API_BASE_URL⟫ ?? "https://api.acme.io",
  apiKey: ⟪~reference:process.env.API_KEY!⟫,
  sentryDsn: ⟪~reference:import.meta.env.VITE_SENTRY_DSN⟫,
};

// Legacy integrations, still used by the reports page.
export const legacy = {
  mapsApiKey: "⟪gcp|AIza[0-9A-Za-z_-]{35}⟫",
  firebaseApiKey: "⟪gcp|AIza[0-9A-Za-z_-]{35}⟫",
  algoliaAdminKey: "⟪generic|[a-f0-9]{32}⟫",
  mixpanelToken: "⟪generic|[a-f0-9]{32}⟫",
  segmentWriteKey: ⟪~reference:process.env.SEGMENT_WRITE_KEY⟫,
};

const apiToken = '⟪generic|[A-Za-z0-9]{40}⟫';
const password = ⟪~reference:this.form.get("password")?.value⟫;
const clientSecret = ⟪~reference:await secrets.get("oauth-client-secret")⟫;
const token = ⟪~reference:localStorage.getItem("token")⟫;
const tokenType = ⟪~word:"Bearer"⟫;
const passwordMinLength = ⟪~number:12⟫;
const secretName = ⟪~key-name:"web-oauth-client"⟫;
const authHeader = ⟪~reference:`Bearer ${token}`⟫;

export async function fetchWithAuth(url: string) {
  return fetch(url, {
    headers: {
      Authorization: ⟪~reference:`Bearer ${apiToken}`⟫,
      "X-Api-Key": ⟪~reference:config.apiKey⟫,
    },
  });
}

export const openai = new OpenAI({ apiKey: "⟪openai|sk-proj-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}⟫" });
export const anthropic = new Anthropic({ apiKey: ⟪~reference:process.env["ANTHROPIC_API_KEY"]⟫ });
