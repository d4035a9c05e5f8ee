import { base64url, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInRoleId, makeTenant, makeUser, PASSWORD, signIn } from "./support/factories.js";
import { startTestServer, TEST_SECRET, type TestApi } from "./support/server.js";

const LOGIN = `mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token expiresAt user { id email role { key } } }
}`;
const LOGIN_WITH_CODE = `mutation($email: String!, $code: String!) {
  loginWithCode(email: $email, code: $code) { token user { id email } }
}`;
const ME = `{ me { id email displayName organization { id } role { key permissions } } }`;

let api: TestApi;
let noDevCode: TestApi;

beforeAll(async () => {
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" } });
  // Same database, no development code configured: the default, and production's only setting.
  noDevCode = await startTestServer({ database: api.database });
});
afterAll(async () => {
  await noDevCode.close();
  await api.close();
});

describe("password sign-in", () => {
  it("returns a token that `me` accepts", async () => {
    const tenant = await makeTenant(api);
    const result = await api.ok(LOGIN, { email: tenant.admin.user.email, password: PASSWORD });
    expect(result.login.user).toMatchObject({ email: tenant.admin.user.email, role: { key: "org_admin" } });
    expect(new Date(result.login.expiresAt).getTime()).toBeGreaterThan(api.clock.now().getTime());
    const me = await api.ok(ME, {}, result.login.token);
    expect(me.me).toMatchObject({ id: tenant.admin.user.id, organization: { id: tenant.organization.id } });
  });

  it("refuses a wrong password with the same answer as an unknown email", async () => {
    const tenant = await makeTenant(api);
    const wrong = await api.gql(LOGIN, { email: tenant.admin.user.email, password: "not the password" });
    const unknown = await api.gql(LOGIN, { email: "nobody@example.test", password: "not the password" });
    expect(wrong.data).toBeNull();
    expect(wrong.errors![0]).toMatchObject({
      message: "Wrong email or password",
      extensions: { code: "UNAUTHENTICATED" },
    });
    expect(unknown.errors![0]!.message).toBe(wrong.errors![0]!.message);
  });

  it("slows down repeated failures: the right password is refused while blocked", async () => {
    const tenant = await makeTenant(api);
    const email = tenant.admin.user.email;
    for (let i = 0; i < api.env.signIn.maxFailures; i++) {
      const failed = await api.gql(LOGIN, { email, password: `guess ${i}` });
      expect(failed.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    }
    const blocked = await api.gql(LOGIN, { email, password: PASSWORD });
    expect(blocked.errors![0]!.extensions).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    expect(blocked.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("refuses a deactivated user's valid token", async () => {
    const tenant = await makeTenant(api);
    const mentor = await tenant.as("coordinator");
    await api.ok(
      `mutation($id: ID!) { updateUser(id: $id, isActive: false) { id } }`,
      { id: mentor.user.id },
      tenant.admin.token,
    );
    const me = await api.gql(ME, {}, mentor.token);
    expect(me.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });
});

describe("one-time code sign-in", () => {
  it("accepts the development code only where it is configured", async () => {
    const tenant = await makeTenant(api);
    const mentor = await makeUser(api.database.db, {
      organizationId: tenant.organization.id,
      role: "peer_mentor",
      password: false,
    });
    const accepted = await api.ok(LOGIN_WITH_CODE, { email: mentor.email, code: "12345" });
    expect(accepted.loginWithCode.user.id).toBe(mentor.id);

    const refused = await noDevCode.gql(LOGIN_WITH_CODE, { email: mentor.email, code: "12345" });
    expect(refused.errors![0]).toMatchObject({
      message: "Wrong email or code",
      extensions: { code: "UNAUTHENTICATED" },
    });
  });

  it("refuses a wrong code", async () => {
    const tenant = await makeTenant(api);
    const mentor = await makeUser(api.database.db, {
      organizationId: tenant.organization.id,
      role: "peer_mentor",
    });
    const result = await api.gql(LOGIN_WITH_CODE, { email: mentor.email, code: "99999" });
    expect(result.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("signs in with a requested code once, and never with a used one", async () => {
    const tenant = await makeTenant(api);
    const mentor = await makeUser(api.database.db, {
      organizationId: tenant.organization.id,
      role: "player",
    });
    expect(
      (await noDevCode.ok(`mutation($e: String!) { requestSignInCode(email: $e) }`, { e: mentor.email }))
        .requestSignInCode,
    ).toBe(true);
    const line = noDevCode.logs.find((l) => l.startsWith(`Sign-in code for ${mentor.email}`))!;
    const code = line.split(": ")[1]!;
    const first = await noDevCode.ok(LOGIN_WITH_CODE, { email: mentor.email, code });
    expect(first.loginWithCode.user.id).toBe(mentor.id);
    const again = await noDevCode.gql(LOGIN_WITH_CODE, { email: mentor.email, code });
    expect(again.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("gives staff no code sign-in, and answers alike for unknown emails", async () => {
    const tenant = await makeTenant(api);
    const staff = await api.gql(LOGIN_WITH_CODE, { email: tenant.admin.user.email, code: "12345" });
    expect(staff.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    const unknown = await api.ok(`mutation { requestSignInCode(email: "ghost@example.test") }`);
    expect(unknown.requestSignInCode).toBe(true);
  });
});

describe("tokens", () => {
  it("refuses an expired token", async () => {
    const tenant = await makeTenant(api);
    const token = await signIn(api, tenant.admin.user.email);
    api.clock.advance(13 * 3600 * 1000); // the default lifetime is 12 hours
    try {
      const result = await api.gql(ME, {}, token);
      expect(result.errors![0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
      expect(result.errors![0]!.message).toMatch(/expired/);
    } finally {
      api.clock.advance(-13 * 3600 * 1000);
    }
  });

  it("refuses a tampered token", async () => {
    const tenant = await makeTenant(api);
    const other = await tenant.as("coordinator");
    const token = await signIn(api, tenant.admin.user.email);
    const [header, , signature] = token.split(".");
    const payload = base64url.encode(
      JSON.stringify({ sub: other.user.id, iss: "laurel", aud: "laurel-api", iat: 1, exp: 9999999999 }),
    );
    const result = await api.gql(ME, {}, `${header}.${payload}.${signature}`);
    expect(result.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("refuses unsigned, foreign-key and wrong-audience tokens", async () => {
    const tenant = await makeTenant(api);
    const now = Math.floor(api.clock.now().getTime() / 1000);
    const claims = { sub: tenant.admin.user.id, iss: "laurel", aud: "laurel-api", iat: now, exp: now + 3600 };
    const none = `${base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url.encode(JSON.stringify(claims))}.`;
    const sign = (secret: string, audience: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(claims.sub)
        .setIssuer("laurel")
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(new TextEncoder().encode(secret));
    for (const token of [
      none,
      await sign("another-secret-that-is-long-enough-xx", "laurel-api"),
      await sign(TEST_SECRET, "other-api"),
    ]) {
      const result = await api.gql(ME, {}, token);
      expect(result.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    }
    // The same claims signed with the right key and audience pass: the refusals above are about the token.
    expect((await api.ok(ME, {}, await sign(TEST_SECRET, "laurel-api"))).me.id).toBe(tenant.admin.user.id);
  });

  it("asks for sign-in when there is no token", async () => {
    const result = await api.gql(ME);
    expect(result.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });
});

describe("sessions end when access changes (token version)", () => {
  const UPDATE = `mutation($id: ID!, $password: String, $roleId: ID, $isActive: Boolean, $displayName: String) {
    updateUser(id: $id, password: $password, roleId: $roleId, isActive: $isActive, displayName: $displayName) { id }
  }`;
  const SIGN_OUT = `mutation($userId: ID) { signOutEverywhere(userId: $userId) }`;
  const refused = async (token: string) => {
    const result = await api.gql(ME, {}, token);
    expect(result.errors![0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
    return result.errors![0]!.message;
  };
  const works = async (token: string, userId: string) =>
    expect((await api.ok(ME, {}, token)).me.id).toBe(userId);

  it("ends a user's tokens when their password changes, and a new sign-in works", async () => {
    const tenant = await makeTenant(api);
    const user = await tenant.as("coordinator");
    await works(user.token, user.user.id);
    const newPassword = "a brand new password 42";
    await api.ok(UPDATE, { id: user.user.id, password: newPassword }, tenant.admin.token);
    expect(await refused(user.token)).toMatch(/session has ended/);
    await works(await signIn(api, user.user.email, newPassword), user.user.id);
    // Changing a display name takes nothing away: the session goes on.
    const fresh = await signIn(api, user.user.email, newPassword);
    await api.ok(UPDATE, { id: user.user.id, displayName: "Renamed" }, tenant.admin.token);
    await works(fresh, user.user.id);
  });

  it("ends a user's tokens when their role changes", async () => {
    const tenant = await makeTenant(api);
    const user = await tenant.as("coordinator");
    const adminRole = await builtInRoleId(api.database.db, "org_admin");
    await api.ok(UPDATE, { id: user.user.id, roleId: adminRole }, tenant.admin.token);
    await refused(user.token);
    await works(await signIn(api, user.user.email), user.user.id);
  });

  it("keeps a deactivated user's old tokens refused after they are reactivated", async () => {
    const tenant = await makeTenant(api);
    const user = await tenant.as("coordinator");
    await api.ok(UPDATE, { id: user.user.id, isActive: false }, tenant.admin.token);
    await api.ok(UPDATE, { id: user.user.id, isActive: true }, tenant.admin.token);
    await refused(user.token);
    await works(await signIn(api, user.user.email), user.user.id);
  });

  it("signs the user out everywhere, and an admin may sign out a member of their tenant", async () => {
    const tenant = await makeTenant(api);
    const user = await tenant.as("coordinator");
    const otherDevice = await signIn(api, user.user.email);
    expect((await api.ok(SIGN_OUT, {}, user.token)).signOutEverywhere).toBe(true);
    await refused(user.token);
    await refused(otherDevice);
    // Nobody else is signed out.
    await works(tenant.admin.token, tenant.admin.user.id);

    const again = await signIn(api, user.user.email);
    await works(again, user.user.id);
    await api.ok(SIGN_OUT, { userId: user.user.id }, tenant.admin.token);
    await refused(again);

    // Not without manage:users, not across tenants.
    const target = await signIn(api, tenant.admin.user.email);
    const coordinator = await signIn(api, user.user.email);
    const denied = await api.gql(SIGN_OUT, { userId: tenant.admin.user.id }, coordinator);
    expect(denied.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const stranger = await makeTenant(api);
    const foreign = await api.gql(SIGN_OUT, { userId: tenant.admin.user.id }, stranger.admin.token);
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(foreign.errors![0]!.extensions!.code);
    await works(target, tenant.admin.user.id);
  });
});
