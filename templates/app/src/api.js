// The JSON API, called with relative URLs (the app lives at <prefix>/admin-app/, the API at <prefix>/).
// Tokens live in this module's memory only: never in storage or a URL. A reload signs in again with the
// HttpOnly refresh cookie that /auth/login and /auth/refresh set (only the /auth routes receive it).

export class ApiError extends Error {
  constructor(status, code, message, field, error) {
    super(message || code);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.appointments = (error && error.appointments) || null; // 409 appointments_affected: what a change covers
  }
}

const BASE = new URL("../", document.baseURI);
let accessToken = null;
let onSignedOut = () => {};

export function signedIn() {
  return accessToken !== null;
}

/** Called when the session ends on its own (refresh refused): the shell shows the sign-in screen. */
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

async function send(method, path, body, token) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(new URL(path.replace(/^\//, ""), BASE), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin", cache: "no-store",
    });
  } catch (error) {
    throw new ApiError(0, "network", error.message);
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(response.status, e.code || `http_${response.status}`, e.message || response.statusText, e.field, e);
  }
  return data;
}

/** api("GET", "/admin/me"): parsed JSON, or an ApiError {status, code, message, field}. */
export async function api(method, path, body) {
  try {
    return await send(method, path, body, accessToken);
  } catch (error) {
    // An expired access token: refresh once through the cookie and try again.
    if (error.status === 401 && accessToken && !path.startsWith("/auth/")) {
      if (await refresh()) return send(method, path, body, accessToken);
      accessToken = null;
      onSignedOut();
    }
    throw error;
  }
}

function keep(tokens) {
  accessToken = tokens.access_token;  // the refresh token stays in its HttpOnly cookie
}

/** Sign in: {tokens} or {challenge: session} when a first sign-in must set a new password. */
export async function login(email, password) {
  const result = await send("POST", "/auth/login", { email, password });
  if (result.challenge) return { challenge: result.session };
  keep(result);
  return {};
}

export async function setNewPassword(email, session, newPassword) {
  keep(await send("POST", "/auth/password/new", { email, session, new_password: newPassword }));
}

/** A new access token from the refresh cookie; false when there is no live session. */
export async function refresh() {
  try {
    keep(await send("POST", "/auth/refresh"));
    return true;
  } catch (error) {
    if (error.status === 401 || error.status === 403) return false;
    throw error;
  }
}

/** Global sign-out: every session of this login ends, and the cookie is cleared. */
export async function logout() {
  try {
    if (accessToken) await send("POST", "/auth/logout", undefined, accessToken);
  } finally {
    accessToken = null;
  }
}

/** A file from the API (a report as CSV): a Blob, or an ApiError; an expired token is refreshed once. */
export async function download(path) {
  const get = () => fetch(new URL(path.replace(/^\//, ""), BASE), {
    headers: { Accept: "text/csv", Authorization: `Bearer ${accessToken}` }, credentials: "same-origin", cache: "no-store",
  });
  let response = await get().catch((error) => { throw new ApiError(0, "network", error.message); });
  if (response.status === 401 && await refresh()) response = await get();
  if (!response.ok) {
    const e = ((await response.json().catch(() => null)) || {}).error || {};
    throw new ApiError(response.status, e.code || `http_${response.status}`, e.message || response.statusText, e.field);
  }
  return response.blob();
}
