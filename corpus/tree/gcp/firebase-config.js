// Firebase web config. The apiKey of a web app is restricted by referrer.
export const firebaseConfig = {
  apiKey: "⟪gcp|AIza[0-9A-Za-z_-]{35}⟫",
  authDomain: "acme-billing-prod.firebaseapp.com",
  projectId: "acme-billing-prod",
  storageBucket: "acme-billing-prod.appspot.com",
  messagingSenderId: "⟪~number:123456789012⟫",
  appId: "⟪~key-name:1:123456789012:web:0a1b2c3d4e5f6a7b⟫",
  measurementId: "G-ABCDEF1234",
};
export const mapsKey = "⟪gcp|AIza[0-9A-Za-z_-]{35}⟫";
export const recaptchaSiteKey = "⟪~key-name:6LcX9aEpAAAAAB-site-key-public⟫";
