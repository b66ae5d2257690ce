// A real OpenID provider for the single sign-on tests: the `oidc-provider` package
// (the certified Node implementation), on 127.0.0.1 and a port of the test's choosing.
//
//   node server.mjs CONFIG.json
//
// CONFIG: {"port": 43123, "client": {client_id, client_secret, redirect_uris,
// post_logout_redirect_uris}, "accounts": "accounts.json"}. The accounts file maps a
// login to {"password": …, "claims": {…}} and is read at every sign-in, so a test can
// change someone's groups between two logins. Sign-in is a password form of our own
// (interactions below); consent is given with it. Prints "ready <issuer>" when listening.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const issuer = `http://127.0.0.1:${config.port}`;

function accounts() {
  return JSON.parse(readFileSync(config.accounts, "utf8"));
}

const provider = new Provider(issuer, {
  clients: [
    {
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
      ...config.client,
    },
  ],
  async findAccount(_ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
  },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
    groups: ["groups"],
  },
  scopes: ["openid", "email", "profile", "groups"],
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ["test-only-cookie-key"] },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.proxy = false;

const escape = (s) =>
  String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function loginForm(uid, error) {
  return page(
    "Test provider sign-in",
    `${error ? `<p id="error">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
  <label>Login <input id="login" name="login" autocomplete="username"></label>
  <label>Password <input id="password" name="password" type="password"></label>
  <button id="submit" type="submit">Sign in</button>
</form>`,
  );
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error("interaction mismatch");
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(loginForm(uid));
    return;
  }
  if (action !== "login") throw new Error(`unknown action ${action}`);
  const form = await readForm(req);
  const login = form.get("login") || "";
  const account = accounts()[login];
  if (!account || account.password !== form.get("password")) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(loginForm(uid, "Wrong login or password"));
    return;
  }
  // Consent with the sign-in: every scope and claim the client asked for.
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: login }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

const callback = provider.callback();
const server = createServer((req, res) => {
  const match = /^\/interaction\/([^/?]+)(?:\/([a-z]+))?/.exec(req.url || "");
  if (!match) return callback(req, res);
  interaction(req, res, match[1], match[2]).catch((err) => {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
    res.end(`interaction failed: ${err.message}`);
  });
});
server.listen(config.port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
