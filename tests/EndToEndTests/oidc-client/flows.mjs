// Drives the CrmTenancy authorization server with panva's openid-client, an independent OAuth2/OIDC client
// library that knows nothing of this server but its discovery document (/.well-known/openid-configuration).
//
//   node flows.mjs http://127.0.0.1:PORT
//
// Writes one JSON object per flow to stdout, {"flow": name, <step>: "ok" | "<error>", ...}, and exits non-zero
// when any step failed. The login itself (an HTML form) is driven with plain fetch: no browser is needed here.
import * as client from 'openid-client';

const issuerArg = process.argv[2];
if (!issuerArg) {
  console.error('usage: node flows.mjs <issuer URL>');
  process.exit(2);
}
const issuer = new URL(issuerArg);

// Demo data (src/Infrastructure/Persistence/DemoData.cs).
const confidential = { clientId: 'acme-integration', secret: 'acme-demo-secret-change-me' };
const publicClientId = 'crm-web';
const redirectUri = 'http://127.0.0.1:5173/callback';
const user = { organisation: 'acme', email: 'admin@acme.example', password: 'acme-admin-demo-pass' };

const insecure = { execute: [client.allowInsecureRequests] }; // the test server speaks plain http on 127.0.0.1

let failed = false;

/** Runs the steps of one flow in order; the first failure ends the flow. */
async function flow(name, body) {
  const result = { flow: name };
  let current = 'start';
  const step = async (stepName, fn) => {
    current = stepName;
    const value = await fn();
    result[stepName] = 'ok';
    return value;
  };
  try {
    await body(step);
  } catch (error) {
    failed = true;
    result[current] = describe(error);
    // When the library refused an HTTP response, show what the server answered.
    const response = error?.cause instanceof Response ? error.cause : error?.response instanceof Response ? error.response : undefined;
    if (response && !response.bodyUsed) {
      try {
        result[current] += ` body=${(await response.text()).slice(0, 800)}`;
      } catch {
        // the body was already read
      }
    }
  }
  console.log(JSON.stringify(result));
}

function describe(error) {
  if (error instanceof client.ResponseBodyError)
    return `${error.name}: HTTP ${error.status} ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`;
  const parts = [`${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`];
  if (error?.code) parts.push(`code=${error.code}`);
  if (error?.cause !== undefined) {
    const cause = error.cause;
    if (cause instanceof Response) parts.push(`response=HTTP ${cause.status} from ${cause.url}`);
    else parts.push(`cause=${cause instanceof Error ? `${cause.name}: ${cause.message}` : safeJson(cause)}`);
  }
  return parts.join(' ');
}

function safeJson(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** A refresh that must fail with invalid_grant (RFC 6749 section 5.2). */
async function expectInvalidGrant(config, refreshToken, what) {
  let error;
  try {
    await client.refreshTokenGrant(config, refreshToken);
  } catch (e) {
    error = e;
  }
  check(error !== undefined, `${what}: the refresh succeeded, invalid_grant was expected`);
  check(error instanceof client.ResponseBodyError && error.error === 'invalid_grant', `${what}: expected invalid_grant, got ${describe(error)}`);
}

// ---------------------------------------------------------------------------------------------------------
// A minimal cookie-keeping, redirect-following user agent for the login form.

class UserAgent {
  cookies = new Map();
  log = [];

  async fetch(url, init = {}) {
    const headers = new Headers(init.headers ?? {});
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.#store(line);
    this.log.push(`${init.method ?? 'GET'} ${url} -> ${response.status}${response.headers.get('location') ? ` ${response.headers.get('location')}` : ''}`);
    return response;
  }

  #store(line) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [k, v = ''] = a.split('=');
      const key = k.trim().toLowerCase();
      return (key === 'max-age' && Number(v.trim()) <= 0) || (key === 'expires' && Date.parse(v.trim()) < Date.now());
    });
    if (expired || value === '') this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

const entities = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&#x2F;': '/', '&#47;': '/' };
function decodeEntities(text) {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, dec) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (m) => entities[m] ?? (m === '&apos;' ? "'" : m));
}

function attributes(tag) {
  const result = {};
  for (const m of tag.matchAll(/([^\s=\/<>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g))
    result[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  return result;
}

/** The login form's action and its fields (hidden inputs included) from the page's HTML. */
function parseLoginForm(html) {
  const forms = [...html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)];
  const form = forms.find((f) => /name\s*=\s*["']?password/i.test(f[1]));
  check(form, 'the login page holds no form with a password input');
  const formAttributes = attributes(form[0].slice(0, form[0].indexOf('>') + 1));
  check((formAttributes.method ?? 'get').toLowerCase() === 'post', `the login form's method is ${formAttributes.method ?? '(none: GET)'}, not POST`);
  const inputs = {};
  for (const m of form[1].matchAll(/<input\b[^>]*>/gi)) {
    const a = attributes(m[0]);
    if (a.name) inputs[a.name] = a.value ?? '';
  }
  return { action: formAttributes.action, inputs };
}

/**
 * Follows the authorization request the way a browser would: the server's redirects (to its login page and back),
 * filling the login form when it shows up, until the server redirects to the client's redirect_uri.
 */
async function authorize(agent, authorizationUrl) {
  let url = authorizationUrl.href;
  let loggedIn = false;
  for (let hop = 0; hop < 10; hop++) {
    const response = await agent.fetch(url);
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      check(location, `${url} answered ${response.status} without a Location header`);
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next.href;
      continue;
    }
    const html = await response.text();
    check(response.status === 200, `${url} answered ${response.status}: ${html.slice(0, 500)}`);
    check(!loggedIn, `after the login, ${url} shows a page instead of redirecting: ${html.slice(0, 500)}`);
    const login = parseLoginForm(html);
    check('__RequestVerificationToken' in login.inputs, 'the login form has no __RequestVerificationToken input');
    check('returnUrl' in login.inputs, 'the login form has no returnUrl input');
    const body = new URLSearchParams({
      organisation: user.organisation,
      email: user.email,
      password: user.password,
      returnUrl: login.inputs.returnUrl,
      __RequestVerificationToken: login.inputs.__RequestVerificationToken,
    });
    const action = new URL(login.action || url, url);
    const posted = await agent.fetch(action.href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    if (posted.status < 300 || posted.status >= 400) {
      const text = await posted.text();
      throw new Error(`the login POST answered ${posted.status}, not a redirect: ${text.slice(0, 800)}`);
    }
    loggedIn = true;
    const location = posted.headers.get('location');
    check(location, 'the login POST redirected without a Location header');
    url = new URL(location, action).href;
    check(new URL(url).origin === issuer.origin, `the login redirected off the server, to ${url}`);
  }
  throw new Error('too many redirects');
}

// ---------------------------------------------------------------------------------------------------------

// a. client_credentials with a confidential client, then a protected API call with the token.
await flow('client_credentials', async (step) => {
  const config = await step('discovery', () =>
    client.discovery(issuer, confidential.clientId, confidential.secret, client.ClientSecretBasic(), insecure));
  const tokens = await step('token', async () => {
    const t = await client.clientCredentialsGrant(config, { scope: 'crm.read' });
    check(typeof t.access_token === 'string' && t.access_token.length > 0, 'no access_token');
    check(t.token_type?.toLowerCase() === 'bearer', `token_type is ${t.token_type}`);
    return t;
  });
  await step('api_customers', async () => {
    const response = await client.fetchProtectedResource(config, tokens.access_token, new URL('/api/customers', issuer), 'GET');
    const text = await response.text();
    check(response.status === 200, `GET /api/customers answered ${response.status}: ${text.slice(0, 500)}`);
    const page = JSON.parse(text);
    check(Array.isArray(page.items) && page.items.length > 0, `no demo customer in ${text.slice(0, 300)}`);
  });
});

// b. authorization code + PKCE with the public client, the user logging in on the server's own page; then
//    userinfo, refresh with rotation and reuse detection, introspection and revocation.
await flow('authorization_code_pkce', async (step) => {
  const config = await step('discovery', () =>
    client.discovery(issuer, publicClientId, undefined, client.None(), insecure));
  const confidentialConfig = await step('discovery_confidential', () =>
    client.discovery(issuer, confidential.clientId, confidential.secret, client.ClientSecretBasic(), insecure));

  await step('metadata', async () => {
    const m = config.serverMetadata();
    check(m.issuer === issuer.href.replace(/\/$/, '') || m.issuer === issuer.href, `issuer ${m.issuer}`);
    check(m.code_challenge_methods_supported?.includes('S256'), 'S256 is not in code_challenge_methods_supported');
    check(!m.code_challenge_methods_supported?.includes('plain'), 'plain PKCE is offered');
    check(m.id_token_signing_alg_values_supported?.includes('ES256'), 'ES256 is not in id_token_signing_alg_values_supported');
    check(m.authorization_response_iss_parameter_supported === true, 'authorization_response_iss_parameter_supported is not true');
    for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'revocation_endpoint', 'introspection_endpoint'])
      check(typeof m[key] === 'string' && new URL(m[key]).origin === issuer.origin, `${key} is ${m[key]}`);
  });

  const agent = new UserAgent();

  /** One authorization request through the login page, and the code exchange; returns the token response. */
  async function signIn(stepName) {
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const codeChallenge = await client.calculatePKCECodeChallenge(pkceCodeVerifier);
    const expectedState = client.randomState();
    const expectedNonce = client.randomNonce();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email crm.read offline_access',
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      state: expectedState,
      nonce: expectedNonce,
    });
    const callback = await step(`${stepName}_login`, async () => {
      try {
        return await authorize(agent, authorizationUrl);
      } catch (e) {
        throw new Error(`${e.message}\n  exchange: ${agent.log.join('\n  exchange: ')}`);
      }
    });
    return step(`${stepName}_code_exchange`, async () => {
      const t = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier, expectedState, expectedNonce });
      for (const key of ['access_token', 'refresh_token', 'id_token'])
        check(typeof t[key] === 'string' && t[key].length > 0, `no ${key} in the token response`);
      return t;
    });
  }

  const first = await signIn('authorize');
  const sub = await step('id_token_claims', async () => {
    const claims = first.claims();
    check(claims && typeof claims.sub === 'string' && claims.sub.length > 0, 'the id_token has no sub');
    check(claims.aud === publicClientId || (Array.isArray(claims.aud) && claims.aud.includes(publicClientId)), `aud is ${safeJson(claims.aud)}`);
    return claims.sub;
  });
  await step('userinfo', async () => {
    const info = await client.fetchUserInfo(config, first.access_token, sub);
    check(info.sub === sub, `userinfo sub ${info.sub} differs from the id_token's ${sub}`);
    check(info.email === undefined || info.email === user.email, `userinfo email is ${info.email}`);
  });
  const rotated = await step('refresh_rotates', async () => {
    const t = await client.refreshTokenGrant(config, first.refresh_token);
    check(typeof t.access_token === 'string' && t.access_token.length > 0, 'no access_token after refresh');
    check(typeof t.refresh_token === 'string' && t.refresh_token.length > 0, 'no new refresh_token after refresh');
    check(t.refresh_token !== first.refresh_token, 'the refresh token was not rotated');
    return t;
  });
  await step('introspection_active', async () => {
    const info = await client.tokenIntrospection(confidentialConfig, rotated.access_token);
    check(info.active === true, `introspection says ${safeJson(info)}`);
  });
  await step('refresh_reuse_rejected', () => expectInvalidGrant(config, first.refresh_token, 'reusing the rotated refresh token'));
  await step('refresh_reuse_revokes_family', () =>
    expectInvalidGrant(config, rotated.refresh_token, 'the newer refresh token of a family whose old token was reused'));

  // A new family (the server's login session stands: no form this time, or the form again if it keeps none).
  const second = await signIn('reauthorize');
  await step('revocation', () => client.tokenRevocation(config, second.refresh_token));
  await step('refresh_after_revocation_rejected', () => expectInvalidGrant(config, second.refresh_token, 'refreshing a revoked refresh token'));
});

process.exit(failed ? 1 : 0);
