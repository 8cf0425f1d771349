'use strict';

const axios = require('axios');
const { Octokit } = require('@octokit/rest');

const octokit = new Octokit({ auth: '⟪github|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}⟫' });
const backup = new Octokit({ auth: ⟪~reference:process.env.GH_TOKEN⟫ });

const slack = axios.create({
  baseURL: 'https://slack.com/api',
  headers: { Authorization: 'Bearer ⟪slack|xoxp-[0-9]{11}-[0-9]{11}-[0-9]{13}-[a-f0-9]{32}⟫' },
});

const sendgrid = axios.create({
  baseURL: 'https://api.sendgrid.com/v3',
  headers: { Authorization: `Bearer ⟪sendgrid|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}⟫` },
});

const stripe = require('stripe')('⟪stripe|sk_live_[A-Za-z0-9]{24}⟫');
const twilio = require('twilio')('ACb1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6', '⟪twilio|[0-9a-f]{32}⟫');

const npmToken = '⟪npm|npm_[A-Za-z0-9]{36}⟫';
const hfToken = '⟪huggingface|hf_[A-Za-z]{34}⟫';

module.exports = {
  octokit,
  backup,
  slack,
  sendgrid,
  stripe,
  twilio,
  npmToken,
  hfToken,
  password: ⟪~reference:options.password⟫,
  secret: ⟪~reference:opts.secret || null⟫,
  apiKey: ⟪~reference:ctx.state.apiKey⟫,
  accessKey: ⟪~reference:req.query.access_key⟫,
  requestId: ⟪~uuid:'c0a80164-2f1d-4b7e-9a3c-5d6e7f8a9b0c'⟫,
  nonce: ⟪~hash:'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'⟫,
};
