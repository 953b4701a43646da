// A real OpenID Connect provider for the single sign-on tests: node-oidc-provider on loopback,
// with one confidential client (Stocktake) and the accounts the test gives it. Nothing here is
// for production. Started by tests/test_single_sign_on_provider.py; installed by
// scripts/test-peers.sh.
//
// Environment: OIDC_PROVIDER_PACKAGE (the installed package's folder), OIDC_ISSUER (http://127.0.0.1:PORT), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
// OIDC_REDIRECT_URI, OIDC_POST_LOGOUT_REDIRECT_URI, OIDC_ACCOUNTS (JSON: {id: claims}).
//
// Signing in: the provider's own login step is replaced by "sign in as login_hint": an
// authorisation request with login_hint=<account id> signs that account in without a form, and
// one without a hint stops at a page that says "Sign in at the test provider" (how a test sees
// that the provider no longer has a session). Consent is granted for what was asked.
import { pathToFileURL } from 'node:url';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
};

// The package lives under var/node-oidc (OIDC_PROVIDER_PACKAGE), not beside this script.
const { default: Provider } = await import(
  pathToFileURL(`${env('OIDC_PROVIDER_PACKAGE')}/lib/index.js`).href
);
const issuer = env('OIDC_ISSUER');
const accounts = JSON.parse(env('OIDC_ACCOUNTS'));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env('OIDC_CLIENT_ID'),
      client_secret: env('OIDC_CLIENT_SECRET'),
      redirect_uris: [env('OIDC_REDIRECT_URI')],
      post_logout_redirect_uris: [env('OIDC_POST_LOGOUT_REDIRECT_URI')],
      // mozilla-django-oidc sends the secret in the form body by default.
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  cookies: { keys: ['test-provider-only'] },
  // PKCE for every client, confidential ones too, as RFC 9700 recommends and as the providers
  // that refused Stocktake's sign-in required (oidc-provider 9 requires it only for public
  // clients by default).
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
});
// Loopback over plain HTTP: the provider would otherwise refuse its own cookies.
provider.proxy = true;

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match || ctx.method !== 'GET') return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session } = details;
  let result;
  if (prompt.name === 'login') {
    const who = params.login_hint;
    if (!who || !accounts[who]) {
      ctx.type = 'html';
      ctx.body = '<!doctype html><title>Test provider</title><h1>Sign in at the test provider</h1>';
      return undefined;
    }
    result = { login: { accountId: who } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  const url = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: prompt.name !== 'login',
  });
  ctx.redirect(url);
  return undefined;
});

const port = Number(new URL(issuer).port);
provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
